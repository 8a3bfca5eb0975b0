import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runSystem } from '../../models/index.ts';
import { parseCounterexample, propertyNamed } from '../../properties/index.ts';
import { writeCounterexamples } from '../../src/counterexample-files.ts';
import { testNode } from '../../src/process/node-campaign.ts';
import { replayNodeCounterexample } from '../../src/process/node-replay.ts';
import { processSystem } from '../../src/process/process-system.ts';
import { freshDir, jsNode, marker, ours, python, pythonNode } from './maelstrom.test-kit.ts';

// The flawed example nodes, in JavaScript and Python, run as processes under leaderlog's network on
// the ticks clock: each flaw is caught, named and shrunk, and the saved counterexample replays to the
// same history, twice. After every test no process of ours is left.

afterEach(() => {
  expect(ours()).toEqual([]);
});

const property = (name: string) => [propertyNamed(name)!];

describe('Maelstrom-protocol nodes on the ticks clock', () => {
  it('catches the Python node losing an acknowledged write, shrinks it, and replays the file to the same history twice', () => {
    const work = freshDir('py');
    const outcome = testNode({
      command: [python, pythonNode, marker],
      nodes: 3,
      workDir: work,
      runs: 10,
      seed: 1,
      shrinkBudget: 15,
      properties: property('no-lost-write'),
    });
    const [found] = outcome.properties;
    expect(found!.status).toBe('violated');
    const counterexample = found!.counterexample!;
    expect(counterexample.verdict.status === 'violated' && counterexample.verdict.names).toContain('lost-write');
    // Shrinking took steps away: the path goes past the run it started from.
    expect(counterexample.path).toMatch(/^\d+:/);

    const file = writeCounterexamples(outcome, work).get('no-lost-write')!;
    const parsed = parseCounterexample(readFileSync(file, 'utf8'), file);
    expect(parsed.kind === 'system' && parsed.system.node).toEqual({
      command: [python, pythonNode, marker],
      nodes: 3,
      clients: 3,
      clock: 'ticks',
    });
    const first = replayNodeCounterexample(parsed, freshDir('py-replay'));
    const second = replayNodeCounterexample(parsed, freshDir('py-replay'));
    expect(first.historyDiffers).toBeNull();
    expect(first.sameFailure).toBe(true);
    expect(JSON.stringify(second.observation.run.events)).toBe(JSON.stringify(first.observation.run.events));
    expect(JSON.stringify(first.observation.run.events)).toBe(JSON.stringify(parsed.content.history));
  });

  it('catches two leaders in the JavaScript node, which also forwards client requests to the leader', () => {
    const work = freshDir('js');
    // Short schedules, and a seed whose fourth run fails: every run is three process start-ups and more.
    const outcome = testNode({
      command: ['node', jsNode, marker],
      nodes: 3,
      workDir: work,
      runs: 10,
      seed: 1,
      shrinkBudget: 4,
      schedules: { maxUnits: 30 },
      properties: property('single-leader'),
    });
    const counterexample = outcome.properties[0]!.counterexample!;
    expect(counterexample.verdict.status === 'violated' && counterexample.verdict.names).toContain('dual-leader');
    const file = writeCounterexamples(outcome, work).get('single-leader')!;
    const parsed = parseCounterexample(readFileSync(file, 'utf8'), file);
    const again = replayNodeCounterexample(parsed, freshDir('js-replay'));
    expect(again.historyDiffers).toBeNull();
    expect(again.verdict.status).toBe('violated');
    // Every node's stderr is kept in the working folder: the example writes none, leaderlog marks restarts.
    const stderr = readFileSync(`${work}/n2.stderr`, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    for (const line of stderr) expect(line).toMatch(/^--- leaderlog: n2 restarted at step \d+ ---$/);
  });

  it('routes a forwarded request by the pipe it came from: the leader answers the client, and the history says who', () => {
    const system = processSystem({ command: ['node', jsNode, marker], nodes: 3, workDir: freshDir('forward') });
    try {
      const run = runSystem(system, [
        { kind: 'tick', node: 0 }, // n1 heartbeats n2 and n3
        { kind: 'deliver', pick: 0 },
        { kind: 'invoke', client: 0, f: 'write', key: 0, node: 1 }, // to n2, which forwards it to n1 as c1's
        { kind: 'deliver', pick: 1 },
      ]);
      const client = run.events.filter((e) => e.process === 0);
      expect(client.map((e) => [e.type, e.node])).toEqual([
        ['invoke', 'n2'],
        ['ok', 'n1'],
      ]);
      const forwarded = run.trace[3]!.delivered;
      expect(forwarded).toEqual([{ id: 3, kind: 'write', from: 'n2', to: 'n1' }]);
    } finally {
      system.close();
    }
  });
});
