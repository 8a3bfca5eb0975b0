import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freshDir, marker, ours, python, pythonNode } from '../../examples/maelstrom/maelstrom.test-kit.ts';
import { splitCommand } from './test-node.ts';

// `leaderlog test --node` from the command line: a flawed node binary caught, its file replayed by
// `leaderlog replay` to the same history, twice; bad usage said in one line.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The leaderlog command as a user runs it: the compiled CLI (npm test builds it first), without tsx's start-up. */
function leaderlog(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/leaderlog.js', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

afterEach(() => {
  expect(ours()).toEqual([]);
});

describe('leaderlog test --node', () => {
  it('catches the Python example, writes the counterexample, and replay gives the saved history twice', () => {
    const out = freshDir('cli-out');
    const command = `${python} ${pythonNode} ${marker}`;
    const run = leaderlog(
      'test',
      '--node',
      command,
      '--runs',
      '1',
      '--seed',
      '1',
      '--shrink-budget',
      '1',
      '--out',
      out,
      '--work',
      freshDir('cli-work'),
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/async_leader\.py\s+nothing \(correct\)\s+linearizable\s+counterexample after 1 run, shrunk to \d+ steps?/);
    expect(run.stdout).toMatch(/no-lost-write\s+counterexample after 1 run, shrunk to \d+ steps?: lost-write/);
    const file = join(out, 'async_leader.py.no-lost-write.seed-1.json');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { system: { node: unknown } };
    expect(saved.system.node).toEqual({ command: command.split(' '), nodes: 3, clients: 3, clock: 'ticks' });
    const first = leaderlog('replay', file, '--json', '--work', freshDir('cli-replay'));
    const second = leaderlog('replay', file, '--json', '--work', freshDir('cli-replay'));
    expect(first.status).toBe(1);
    expect(second.stdout).toBe(first.stdout);
    expect(JSON.parse(first.stdout)).toMatchObject({ history: { sameAsSaved: true } });
  });

  it('says what is wrong with the command line in one line', () => {
    expect(leaderlog('test', '--node', 'node "unclosed').stderr).toBe('leaderlog: --node: the command has an unclosed ": node "unclosed\n');
    expect(leaderlog('test', '--node', 'node x.js', '--preset', 'safe').stderr).toBe(
      'leaderlog: give --node, --system or --preset/--all, not more than one\n',
    );
    const missing = leaderlog('test', '--node', 'no-such-program-here', '--work', freshDir('cli-missing'));
    expect(missing.status).toBe(3);
    expect(missing.stderr).toMatch(/^leaderlog: node n1 \(no-such-program-here\) .*before answering init at step 0/);
  });

  it('splits a command as a shell would for words and quotes', () => {
    expect(splitCommand(`python3  'my node.py' --flag "a b" x`)).toEqual(['python3', 'my node.py', '--flag', 'a b', 'x']);
  });
});
