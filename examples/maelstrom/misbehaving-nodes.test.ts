import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runSystem, SystemError } from '../../models/index.ts';
import { testNode } from '../../src/process/node-campaign.ts';
import { processSystem } from '../../src/process/process-system.ts';
import { freshDir, jsNode, marker, ourNodes, ours, python, pythonNode, waitFor } from './maelstrom.test-kit.ts';

// Nodes that break the protocol get one clear error naming the node and what it printed, and every
// process is ended: on success, on such an error, on the wall clock, and when leaderlog itself is
// killed (SIGKILL, SIGINT) in the middle of a campaign.

afterEach(() => {
  expect(ours()).toEqual([]);
});

/** A node script (JavaScript) that answers init on the ticks clock, then does `then` for each message. */
function script(name: string, then: string): string {
  const file = join(freshDir(name), `${name}.mjs`);
  writeFileSync(
    file,
    `import { createInterface } from 'node:readline';
createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  const out = (x) => process.stdout.write(JSON.stringify(x) + '\\n');
  if (m.body.type === 'init') { out({ src: m.dest, dest: m.src, body: { type: 'init_ok', in_reply_to: 1, ticks: true } }); out({ type: 'idle' }); return; }
  ${then}
  out({ type: 'idle' });
});
`,
  );
  return file;
}

function failure(file: string | string[], options: { initMillis?: number; answerMillis?: number } = {}): string {
  try {
    const system = processSystem({
      command: Array.isArray(file) ? file : ['node', file, marker],
      nodes: 3,
      workDir: freshDir('bad'),
      ...options,
    });
    try {
      runSystem(system, [
        { kind: 'invoke', client: 0, f: 'write', key: 0 },
        { kind: 'tick', node: 0 },
      ]);
    } finally {
      system.close();
    }
  } catch (error) {
    expect(error).toBeInstanceOf(SystemError);
    return (error as Error).message;
  }
  throw new Error('the node was not reported');
}

describe('nodes that break the protocol', () => {
  it('a line that is not JSON', () => {
    expect(failure(script('garbage', `if (m.body.type === 'write') process.stdout.write('hello there\\n');`))).toMatch(
      /^node n1 \(garbage\.mjs\) printed a line that is not JSON: "hello there" at step 1/,
    );
  });

  it('a message to a node that does not exist', () => {
    expect(failure(script('unknown', `if (m.body.type === 'write') out({ src: 'n1', dest: 'n9', body: { type: 'gossip' } });`))).toMatch(
      /node n1 \(unknown\.mjs\) sent to "n9", which does not exist \(nodes n1, n2, n3; clients c1\.\.c3\): ".*n9.*" at step 1/,
    );
  });

  it('a node that exits on its own: its stderr is quoted', () => {
    expect(failure(script('exits', `if (m.body.type === 'write') { console.error('out of cheese'); process.exit(7); }`))).toMatch(
      /node n1 \(exits\.mjs\) exited with code 7 \(after the message .*write.*\) at step 1; its stderr \(.*n1\.stderr\) ends:\n {2}out of cheese/,
    );
  });

  it('a node that never answers init, or never finishes a step', () => {
    const silent = join(freshDir('silent'), 'silent.mjs');
    writeFileSync(silent, `process.stdin.on('data', () => {});\n`);
    expect(failure(silent, { initMillis: 300 })).toMatch(/node n1 \(silent\.mjs\) never answered init within 300 ms at step 0/);
    expect(failure(script('busy', `if (m.body.type === 'write') return;`), { answerMillis: 300 })).toMatch(
      /node n1 \(busy\.mjs\) never printed \{"type":"idle"\} within 300 ms of the message .* at step 1/,
    );
  });

  it('a node that does not speak the ticks extension, on the ticks clock', () => {
    expect(failure(['node', jsNode, '--wall', marker])).toMatch(
      /node n1 \(async-leader\.mjs\) answered init without "ticks": true, so it keeps its own time; run it with --clock wall/,
    );
  });
});

describe('a wall-clock node', () => {
  it('runs to a verdict with a few faults, its processes ended after', () => {
    const outcome = testNode({
      command: ['node', jsNode, '--wall', marker],
      nodes: 3,
      clock: 'wall',
      tickMillis: 5,
      workDir: freshDir('wall'),
      runs: 2,
      reruns: 2,
      shrinkBudget: 1,
    });
    expect(outcome.runs).toBe(2);
    for (const p of outcome.properties) expect(['held', 'violated', 'not-applicable']).toContain(p.status);
    for (const p of outcome.properties) if (p.counterexample) expect(p.counterexample.reproduced?.of).toBe(2);
  });
});

describe('leaderlog killed in the middle of a campaign', () => {
  const cli = fileURLToPath(new URL('../../bin/leaderlog.js', import.meta.url));
  for (const signal of ['SIGKILL', 'SIGINT'] as const) {
    it(`leaves no node behind after ${signal}`, () => {
      const leaderlog = spawn(
        process.execPath,
        [
          cli,
          'test',
          '--node',
          `${python} ${pythonNode} ${marker}`,
          '--runs',
          '100000',
          '--work',
          freshDir('killed'),
          '--out',
          freshDir('killed-out'),
        ],
        { stdio: 'ignore' },
      );
      try {
        // Generous: on a loaded machine leaderlog itself takes a while to start.
        expect(waitFor(() => ourNodes().length >= 3, 60_000)).toBe(true);
      } finally {
        leaderlog.kill(signal);
      }
      expect(waitFor(() => ours().length === 0, 10_000)).toBe(true);
    });
  }
});
