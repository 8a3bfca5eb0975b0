import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { Action, Schedule } from '../../models/index.ts';
import { runSystem } from '../../models/index.ts';
import { observe, propertyNamed, systemSubject } from '../../properties/index.ts';
import type { ProcessSystem } from '../../src/process/process-system.ts';
import { processSystem } from '../../src/process/process-system.ts';
import { runSteps } from '../../src/run-steps.ts';
import { asyncLeaderInProcess } from './in-process.ts';
import { freshDir, jsNode, marker, ourNodes, ours } from './maelstrom.test-kit.ts';

// A pause: the node stops (a process gets SIGSTOP) with its state intact, handles nothing while time
// runs on without it, and takes what reached it meanwhile when it resumes (SIGCONT). A leader paused
// past its followers' patience comes back still believing it leads, and acknowledges the write that
// waited in its pipe after another node has led a later term: two leaders, and a lost write.

afterEach(() => {
  expect(ours()).toEqual([]);
});

const ticks = (node: number, times: number): Action[] => Array.from({ length: times }, () => ({ kind: 'tick', node }));

/** n1 leads term 1 and has replicated one write when it pauses; n2 times out, leads term 2 and takes a write; one more is sent to n1; n1 resumes. */
const pausedLeader: Schedule = [
  { kind: 'tick', node: 0 },
  { kind: 'deliver', pick: 0 },
  { kind: 'deliver', pick: 0 },
  { kind: 'invoke', client: 0, f: 'write', key: 0, node: 0 },
  { kind: 'deliver', pick: 0 },
  { kind: 'deliver', pick: 0 },
  { kind: 'pause', node: 0 },
  { kind: 'tick', node: 0 }, // a paused node's clock does not tick
  ...ticks(1, 5), // n2 gives up on n1 and leads term 2
  { kind: 'invoke', client: 1, f: 'write', key: 0, node: 1 },
  { kind: 'invoke', client: 0, f: 'write', key: 0, node: 0 }, // waits in n1's pipe
  { kind: 'resume', node: 0 },
];

function withProcesses<T>(run: (system: ProcessSystem) => T): T {
  const system = processSystem({ command: ['node', jsNode, marker], nodes: 3, workDir: freshDir('pause') });
  try {
    return run(system);
  } finally {
    system.close();
  }
}

describe('a paused node', () => {
  it('in process: handles no tick and no message until it resumes, then acknowledges as a leader of the past', () => {
    const observation = observe(systemSubject(asyncLeaderInProcess), pausedLeader);
    const { events, trace } = observation.run;
    const nemesis = events.filter((e) => e.process === 'nemesis').map((e) => [e.f, e.node, e.time]);
    expect(nemesis.slice(0, 2)).toEqual([
      ['pause', 'n1', 7],
      ['resume', 'n1', 16],
    ]);
    expect(trace[7]!.noop).toBe('n1 is paused');
    // The write sent to n1 at step 15 is answered only at its resume (step 16), by n1 as leader of term 1, after n2 led term 2.
    const held = events
      .filter((e) => e.process === 0 && (e.time ?? 0) >= 15 && (e.time ?? 0) <= 16)
      .map((e) => [e.type, e.time, e.node, e.epoch]);
    expect(held).toEqual([
      ['invoke', 15, 'n1', undefined],
      ['ok', 16, 'n1', 1],
    ]);
    expect(events.some((e) => e.process === 1 && e.type === 'ok' && e.node === 'n2' && e.epoch === 2 && e.time === 14)).toBe(true);
    const timeline = runSteps({ trace, events, scheduled: pausedLeader.length });
    expect(timeline[6]).toMatch(/^ +7 {2}pause n1 \(stopped; what reaches it waits\)/);
    expect(timeline[15]).toMatch(/^ +16 {2}resume n1 +p0 ok write at n1 e1$/);
    expect(timeline.some((line) => / resume n1/.test(line) && line.includes('finale'))).toBe(false);
    const twoLeaders = propertyNamed('single-leader')!.check(observation);
    expect(twoLeaders.status === 'violated' && twoLeaders.names).toEqual(['dual-leader']);
    expect(twoLeaders.status === 'violated' && twoLeaders.reasons[0]).toMatch(
      /^n1 \(epoch 1\) led from event 0 until .*n2 \(epoch 2\).*both acknowledged writes then/,
    );
    const lost = propertyNamed('no-lost-write')!.check(observation);
    expect(lost.status === 'violated' && lost.names).toEqual(['lost-write']);
  });

  it('as a process: SIGSTOP while paused, SIGCONT on resume, and the same history as in process', () => {
    const states: string[][] = [];
    const history = withProcesses((system) => {
      // Looks at the processes just before the world resumes n1: exactly one of ours is stopped.
      const resume = system.resume!.bind(system);
      const watched: ProcessSystem = {
        ...system,
        resume: (handle) => {
          states.push(processStates());
          return resume(handle);
        },
      };
      return runSystem(watched, pausedLeader, { finale: true }).events;
    });
    expect(states).toHaveLength(1);
    expect(states[0]!.filter((state) => state.startsWith('T'))).toHaveLength(1);
    expect(JSON.stringify(history)).toBe(JSON.stringify(runSystem(asyncLeaderInProcess, pausedLeader, { finale: true }).events));
  });

  it('as a process: still paused at the end, or crashed while paused, is killed by PID', () => {
    withProcesses((system) => {
      runSystem(system, [
        { kind: 'pause', node: 1 },
        { kind: 'pause', node: 2 },
        { kind: 'crash', node: 1 },
        { kind: 'restart', node: 1 },
        { kind: 'invoke', client: 0, f: 'write', key: 0, node: 1 },
      ]);
      expect(processStates().filter((state) => state.startsWith('T'))).toHaveLength(1);
    });
    expect(ourNodes()).toEqual([]);
  });

  it('the finale resumes every paused node before its reads', () => {
    const run = runSystem(
      asyncLeaderInProcess,
      [
        { kind: 'pause', node: 0 },
        { kind: 'pause', node: 2 },
      ],
      { finale: true },
    );
    expect(run.finale.slice(0, 2)).toEqual([
      { kind: 'resume', node: 0 },
      { kind: 'resume', node: 2 },
    ]);
    const reads = run.events.filter((e) => e.f === 'read' && e.type !== 'invoke');
    expect(reads.map((e) => e.type)).toEqual(['ok', 'ok']);
  });
});

/** The state letter (R, S, T, ...) of each node process of ours. */
function processStates(): string[] {
  return ourNodes().map((line) => execFileSync('ps', ['-o', 'stat=', '-p', line.split(' ')[0]!], { encoding: 'utf8' }).trim());
}
