import { describe, expect, it } from 'vitest';
import type { Event } from '../../history/event.ts';
import { valueEqual } from '../../history/value.ts';
import { runSystem } from '../world/run-system.ts';
import type { Policy } from './policy.ts';
import { presets } from './presets.ts';
import { Scenario } from './scenario.test-kit.ts';
import { leaderFollower } from './system.ts';

// The seed's stories, hand-written: each flawed preset shows its failure in its history, and `safe`
// goes through the very same schedule without it. Assertions read the events only, as a checker would.

const { safe } = presets;

/** Acknowledged writes that the finale's read of their key does not see (one write per key in these stories). */
function lostWrites(events: readonly Event[]): Event[] {
  const finalRead = new Map<unknown, Event>();
  for (const e of events) if (e.type === 'ok' && e.f === 'read') finalRead.set(e.key, e);
  return events.filter((e) => {
    if (e.type !== 'ok' || e.f !== 'write') return false;
    const read = finalRead.get(e.key);
    return read !== undefined && read.time! > e.time! && !valueEqual(read.value, e.value);
  });
}

/** Pairs of acknowledged writes where an older-or-equal epoch's leader acked after a newer-or-equal one's, on another node. */
function dualAcks(events: readonly Event[]): [Event, Event][] {
  const acks = events.filter((e) => e.type === 'ok' && e.f !== 'read');
  const pairs: [Event, Event][] = [];
  for (const a of acks) for (const b of acks) if (a.time! < b.time! && a.node !== b.node && a.epoch! >= b.epoch!) pairs.push([a, b]);
  return pairs;
}

/** Reads that returned a value other than the one written by a write acknowledged before the read began (single key, one writer at a time). */
function staleReads(events: readonly Event[]): Event[] {
  const stale: Event[] = [];
  const latest = new Map<unknown, Event>();
  const invokedAt = new Map<number, number>();
  for (const e of events) {
    if (typeof e.process !== 'number') continue;
    if (e.type === 'invoke') invokedAt.set(e.process, e.time!);
    if (e.type === 'ok' && e.f === 'write') latest.set(e.key, e);
    if (e.type === 'ok' && e.f === 'read') {
      const write = latest.get(e.key);
      if (write !== undefined && write.time! < invokedAt.get(e.process)! && !valueEqual(write.value, e.value)) stale.push(e);
    }
  }
  return stale;
}

function replays(story: Scenario, policy: Policy): void {
  expect(runSystem(leaderFollower(policy), story.schedule, { finale: true }).events).toEqual(story.events);
}

describe('async-failover: the leader acks before replicating and dies', () => {
  const story = (policy: Policy) =>
    new Scenario(policy)
      .write(0, 0)
      // The appends carrying the write never arrive; the leader dies.
      .do({ kind: 'drop', pick: 0 }, { kind: 'drop', pick: 0 }, { kind: 'crash', node: 0 })
      .elect(1)
      .finale();

  it('loses an acknowledged write', () => {
    const s = story(presets['async-failover']);
    const lost = lostWrites(s.events);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ node: 'n1', epoch: 1, value: 1 });
    expect(s.nodes.every((n) => n.log.every((e) => e.command.kind === 'noop'))).toBe(true);
    replays(s, presets['async-failover']);
  });

  it('safe never acknowledged it: the write ends indeterminate', () => {
    const s = story(safe);
    expect(lostWrites(s.events)).toEqual([]);
    expect(s.events.filter((e) => e.process === 0 && e.f === 'write').map((e) => e.type)).toEqual(['invoke', 'info']);
  });
});

describe('semi-sync-failover: one follower is not a majority', () => {
  const story = (policy: Policy) =>
    new Scenario(policy)
      .write(0, 0)
      .do({ kind: 'deliver', pick: 0 }) // n2 gets the write
      .do({ kind: 'drop', pick: 0 }, { kind: 'drop', pick: 0 }, { kind: 'drop', pick: 0 }) // n3..n5 never do
      .drain() // n2's acknowledgement reaches n1
      .do({ kind: 'crash', node: 0 }, { kind: 'crash', node: 1 })
      .elect(2)
      .finale();

  it('loses a write acknowledged after one follower had it', () => {
    const s = story(presets['semi-sync-failover']);
    expect(lostWrites(s.events)).toHaveLength(1);
  });

  it('safe (five nodes) waits for a majority and never acknowledges it', () => {
    const s = story({ ...safe, nodes: 5 });
    expect(s.events.some((e) => e.type === 'ok' && e.f === 'write')).toBe(false);
    expect(lostWrites(s.events)).toEqual([]);
  });
});

describe('naive-failover: a cut-off leader and a self-promoted follower both take writes', () => {
  const story = (policy: Policy) =>
    new Scenario(policy)
      .do({ kind: 'partition', groups: [0, 1, 1] })
      .elect(1)
      .write(0, 0, 0) // to n1, the old leader
      .drain()
      .write(1, 1, 1) // to n2, the new one
      .drain()
      .do({ kind: 'timeout', client: 0 }) // whatever became of it
      .write(0, 0, 0) // n1 again
      .drain()
      .finale();

  it('has two leaders acknowledging writes at the same time', () => {
    const s = story(presets['naive-failover']);
    const pairs = dualAcks(s.events);
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs[0][0]).toMatchObject({ node: 'n2', epoch: 2 });
    expect(pairs[0][1]).toMatchObject({ node: 'n1', epoch: 1 });
    const roles = s.events.filter((e) => e.f === 'role' && e.value === 'leader').map((e) => e.node);
    expect(roles).toEqual(['n1', 'n2']);
    expect(s.nodes.filter((n) => n.role === 'leader')).toHaveLength(2);
  });

  it('safe: the old leader cannot acknowledge anything once cut off', () => {
    const s = story(safe);
    expect(dualAcks(s.events)).toEqual([]);
    expect(s.events.filter((e) => e.type === 'ok' && e.f === 'write').map((e) => e.node)).toEqual(['n2']);
  });
});

describe('no-fencing: the old leader comes back after a new one was chosen', () => {
  const story = (policy: Policy) =>
    new Scenario(policy)
      .do({ kind: 'partition', groups: [0, 1, 1] }, { kind: 'promote', node: 1 })
      .drain()
      .write(1, 0, 1) // n2, the promoted leader, commits a write with n3
      .drain()
      .do({ kind: 'heal' })
      .write(0, 0, 0) // n1 never learnt: it still leads, and n3 follows whoever speaks last
      .drain()
      .finale();

  it('commits conflicting writes on both sides and loses one', () => {
    const s = story(presets['no-fencing']);
    const writes = s.events.filter((e) => e.type === 'ok' && e.f === 'write');
    expect(writes.map((e) => [e.node, e.epoch])).toEqual([
      ['n2', 2],
      ['n1', 1],
    ]);
    expect(dualAcks(s.events)).toHaveLength(1);
    expect(lostWrites(s.events)).toHaveLength(1);
  });

  it('safe: the returning leader is refused, steps down, and its write ends indeterminate', () => {
    const s = story(safe);
    expect(dualAcks(s.events)).toEqual([]);
    expect(lostWrites(s.events)).toEqual([]);
    expect(s.events.filter((e) => e.process === 0 && e.f === 'write').map((e) => e.type)).toEqual(['invoke', 'info']);
  });
});

describe('follower-reads: a lagging follower answers a read', () => {
  const story = (policy: Policy) =>
    new Scenario(policy)
      .write(0, 0)
      .drain() // committed and acknowledged; the followers learn of the commit only with the next append
      .read(1, 0)
      .do({ kind: 'deliver', pick: 0 }); // offloaded: the leader hands the read to a follower

  it('returns a value older than an acknowledged write', () => {
    const s = story(presets['follower-reads']);
    expect(staleReads(s.events)).toHaveLength(1);
    expect(staleReads(s.events)[0]).toMatchObject({ value: null, node: 'n3' });
  });

  it('safe reads through the leader and sees the write', () => {
    const s = story(safe).drain();
    expect(staleReads(s.events)).toEqual([]);
    expect(s.events.at(-1)).toMatchObject({ type: 'ok', f: 'read', value: 1, node: 'n1' });
  });
});

describe('stale-leader-reads: a deposed leader answers from its own state', () => {
  const story = (policy: Policy) =>
    new Scenario(policy)
      .write(0, 0)
      .drain()
      .do({ kind: 'partition', groups: [0, 1, 1] })
      .elect(1)
      .write(1, 0, 1) // the new leader overwrites the value
      .drain()
      .read(0, 0) // client 0 still talks to n1
      .drain();

  it('returns the overwritten value', () => {
    const s = story(presets['stale-leader-reads']);
    const stale = staleReads(s.events);
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatchObject({ node: 'n1', epoch: 1, value: 1 });
  });

  it('safe: the read-index round never completes, and the read times out', () => {
    const s = story(safe).do({ kind: 'timeout', client: 0 });
    expect(staleReads(s.events)).toEqual([]);
    expect(s.events.at(-1)).toMatchObject({ type: 'fail', f: 'read', error: 'timeout' });
  });
});

describe('unsynced-restart: the majority that held a write crashes before flushing it', () => {
  const story = (policy: Policy) =>
    new Scenario(policy)
      .write(0, 0)
      .do({ kind: 'deliver', pick: 0 }, { kind: 'drop', pick: 0 }) // n2 has it, n3 never will
      .drain() // acknowledged: n1 and n2 are a majority
      .do({ kind: 'crash', node: 0 }, { kind: 'crash', node: 1 }, { kind: 'restart', node: 0 }, { kind: 'restart', node: 1 })
      .finale();

  it('loses the acknowledged write', () => {
    const s = story(presets['unsynced-restart']);
    expect(lostWrites(s.events)).toHaveLength(1);
  });

  it('safe synced it before acknowledging, and reads it back', () => {
    const s = story(safe);
    expect(lostWrites(s.events)).toEqual([]);
    expect(s.events.filter((e) => e.type === 'ok').map((e) => [e.f, e.key, e.value])).toEqual([
      ['write', 0, 1],
      ['read', 0, 1],
      ['read', 1, null],
    ]);
  });
});

describe('follower crash: the leader backfills a returning follower', () => {
  it('brings a follower that missed writes level, after one refused append', () => {
    const s = new Scenario(safe).do({ kind: 'crash', node: 2 });
    for (let k = 0; k < 3; k++) s.write(0, 0).drain();
    s.do({ kind: 'crash', node: 0 }, { kind: 'restart', node: 2 });
    expect(s.nodes[2].log).toHaveLength(1); // only the first no-op
    s.elect(1).drain().tick(1).drain(); // the heartbeat after the backfill carries the commit point
    const [, leader, follower] = s.nodes;
    expect(leader).toMatchObject({ role: 'leader', epoch: 2 });
    expect(follower.log).toEqual(leader.log);
    expect(follower.log).toHaveLength(5); // no-op, three writes, the new leader's no-op
    expect(follower.commit).toBe(leader.commit);

    // The new leader first guessed the follower had its whole log, was refused, and resent from the gap.
    const toFollower = s.trace
      .flatMap((t) => t.delivered)
      .filter((m) => m.from === 'n2' && m.to === 'n3' && m.kind === 'append' && m.epoch === 2);
    expect(toFollower.map((m) => [m.after, m.entries])).toEqual([
      [4, 1],
      [1, 4],
      [5, 0],
    ]);
  });
});
