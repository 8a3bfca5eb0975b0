import { describe, expect, it } from 'vitest';
import type { Action } from '../world/action.ts';
import { runSystem } from '../world/run-system.ts';
import type { Entry, Log } from './log.ts';
import {
  agreedLength,
  appendEntry,
  epochAt,
  isUpToDate,
  lastEpoch,
  logWork,
  mergeEntries,
  NOOP,
  overwriteEntries,
  resumeHint,
} from './log.ts';
import { presets } from './presets.ts';
import { replayedCommands } from './store.ts';
import type { LeaderFollowerNode } from './system.ts';
import { leaderFollower } from './system.ts';

const entry = (index: number, epoch: number, id = index * 100 + epoch): Entry => ({ index, epoch, id, command: NOOP });
const logOf = (...epochs: number[]): Log => epochs.map((epoch, i) => entry(i + 1, epoch));

describe('appendEntry', () => {
  it('returns a longer copy and leaves the old log as it was', () => {
    const log = logOf(1);
    const longer = appendEntry(log, 2, 7, NOOP);
    expect(log).toHaveLength(1);
    expect(longer).toEqual([log[0], { index: 2, epoch: 2, id: 7, command: NOOP }]);
    expect(longer[0]).toBe(log[0]);
    expect(Object.isFrozen(longer[1])).toBe(true);
  });
});

describe('mergeEntries', () => {
  it('keeps the very same log when it already holds every entry', () => {
    const log = logOf(1, 1, 2);
    const merged = mergeEntries(log, 1, log.slice(1, 2));
    expect(merged.log).toBe(log);
    expect(merged.cutAt).toBe(Infinity);
  });

  it('appends what is new', () => {
    const leader = logOf(1, 1, 2);
    const merged = mergeEntries(leader.slice(0, 1), 1, leader.slice(1));
    expect(merged.log).toEqual(leader);
    expect(merged.cutAt).toBe(Infinity);
  });

  it('truncates a divergent suffix from the first conflict on', () => {
    const follower = logOf(1, 1, 1, 1);
    const leader = logOf(1, 1, 3);
    const merged = mergeEntries(follower, 2, leader.slice(2));
    expect(merged.log.map((e) => e.epoch)).toEqual([1, 1, 3]);
    expect(merged.cutAt).toBe(3);
  });

  it('never truncates for a late, shorter message it agrees with', () => {
    const follower = logOf(1, 2, 2, 2);
    const merged = mergeEntries(follower, 1, follower.slice(1, 2));
    expect(merged.log).toBe(follower);
  });
});

describe('overwriteEntries (a flawed follower)', () => {
  it("truncates after a late, shorter message, erasing what it agreed with: Raft's rule would keep it", () => {
    const follower = logOf(1, 2, 2, 2);
    const merged = overwriteEntries(follower, 1, follower.slice(1, 2));
    expect(merged.log.map((e) => e.epoch)).toEqual([1, 2]);
    expect(merged.cutAt).toBe(3);
    expect(follower).toHaveLength(4);
  });

  it('takes a longer or conflicting message as mergeEntries does', () => {
    const follower = logOf(1, 1, 1, 1);
    const leader = logOf(1, 1, 3);
    expect(overwriteEntries(follower, 2, leader.slice(2))).toEqual(mergeEntries(follower, 2, leader.slice(2)));
    expect(overwriteEntries(leader.slice(0, 1), 1, leader.slice(1)).log).toEqual(leader);
  });
});

describe('positions', () => {
  it('epochAt is 0 before the log and -1 beyond it', () => {
    const log = logOf(1, 3);
    expect([epochAt(log, 0), epochAt(log, 1), epochAt(log, 2), epochAt(log, 3)]).toEqual([0, 1, 3, -1]);
    expect(lastEpoch([])).toBe(0);
  });

  it('resumeHint skips the whole conflicting epoch, or points at the end of a short log', () => {
    const log = logOf(1, 2, 2, 2);
    expect(resumeHint(log, 4)).toBe(1);
    expect(resumeHint(log, 9)).toBe(4);
    expect(resumeHint(logOf(1), 1)).toBe(0);
  });

  it('isUpToDate compares the last epoch first, then the length', () => {
    const log = logOf(1, 2, 2);
    expect(isUpToDate(1, 3, log)).toBe(true);
    expect(isUpToDate(3, 2, log)).toBe(true);
    expect(isUpToDate(2, 2, log)).toBe(false);
    expect(isUpToDate(9, 1, log)).toBe(false);
  });

  it('agreedLength compares entries by identity or id, up to a point', () => {
    const a = logOf(1, 2, 2);
    const b = [a[0], a[1], entry(3, 2, 999)];
    expect(agreedLength(a, b, 2)).toBe(2);
    expect(agreedLength(a, b, 3)).toBe(2);
    expect(agreedLength(a, JSON.parse(JSON.stringify(a)), 3)).toBe(3);
    expect(agreedLength(a, a.slice(0, 1), 2)).toBe(1);
  });

  it('agreedLength builds on what it proved for the logs a log was made from', () => {
    let leader: Log = [];
    let follower: Log = [];
    for (let i = 1; i <= 50; i++) {
      leader = appendEntry(leader, 1, i, NOOP);
      if (i % 3 === 0) follower = mergeEntries(follower, follower.length, leader.slice(follower.length)).log;
      expect(agreedLength(leader, follower, i)).toBe(follower.length);
    }
    // A log that breaks from its parent is seen to differ from where it breaks, whatever was proved before.
    const diverged = mergeEntries(follower, 10, [entry(11, 2, 1000)]).log;
    expect(agreedLength(leader, diverged, 50)).toBe(10);
    expect(agreedLength(diverged, leader, 50)).toBe(10);
  });
});

describe('persistence', () => {
  it('appends without copying: the old log keeps its length and entries, a diverging append copies once', () => {
    const copied = logWork().copied;
    let log: Log = appendEntry([], 1, 1, NOOP);
    const first = log;
    for (let i = 2; i <= 100; i++) log = appendEntry(log, 1, i, NOOP);
    expect(first).toHaveLength(1);
    expect(log).toHaveLength(100);
    expect(log.map((e) => e.id)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(logWork().copied - copied).toBe(0);
    const fork = appendEntry(log.slice(0, 50), 2, 999, NOOP);
    expect(fork).toHaveLength(51);
    expect(fork[50].id).toBe(999);
    expect(log[50].id).toBe(51);
    expect(logWork().copied - copied).toBe(50);
  });

  it('reads as a readonly array: spread, JSON, slices as views, and every write throws', () => {
    const log = appendEntry(appendEntry([], 1, 1, NOOP), 1, 2, NOOP);
    expect(Array.isArray(log)).toBe(true);
    expect([...log].map((e) => e.id)).toEqual([1, 2]);
    expect(JSON.parse(JSON.stringify(log))).toEqual([
      { index: 1, epoch: 1, id: 1, command: NOOP },
      { index: 2, epoch: 1, id: 2, command: NOOP },
    ]);
    expect(log.slice(1)).toEqual([log[1]]);
    expect(log.slice(-1)[0]).toBe(log[1]);
    expect(1 in log).toBe(true);
    expect(2 in log).toBe(false);
    expect(() => ((log as Entry[])[0] = log[1])).toThrow(TypeError);
    expect(() => (log as Entry[]).push(log[0])).toThrow(TypeError);
  });

  it('logs on one buffer agree without comparing entries', () => {
    let log: Log = [];
    for (let i = 1; i <= 50; i++) log = appendEntry(log, 1, i, NOOP);
    const compared = logWork().compared;
    expect(agreedLength(log.slice(0, 20), log, 50)).toBe(20);
    expect(logWork().compared - compared).toBe(0);
  });

  it('a replay with invariants after every step does work linear in its length (a copy of the log per step would be quadratic)', () => {
    const writes = 1000;
    const schedule: Action[] = [{ kind: 'tick', node: 0 }];
    for (let i = 0; i < writes; i++) {
      schedule.push({ kind: 'invoke', client: i % 3, f: 'write', key: 0 }, { kind: 'tick', node: 0 });
      // A leader resends on every tick, so a write's messages queue behind the resends still in flight.
      for (let d = 0; d < 12; d++) schedule.push({ kind: 'deliver', pick: 0 });
    }
    const before = { ...logWork(), replayed: replayedCommands() };
    const run = runSystem(leaderFollower(presets.safe), schedule, { invariants: 'every-step' });
    expect(run.nodes.map((node) => (node.state as LeaderFollowerNode).log.length)).toEqual([writes + 1, writes + 1, writes + 1]);
    expect(run.violations).toEqual([]);
    const work = {
      copied: logWork().copied - before.copied,
      compared: logWork().compared - before.compared,
      replayed: replayedCommands() - before.replayed,
    };
    // Quadratic would be about writes² / 2 = 500,000 of each.
    expect(work.copied).toBeLessThan(writes * 4);
    expect(work.compared).toBeLessThan(writes * 20);
    expect(work.replayed).toBeLessThan(writes * 10);
  });
});
