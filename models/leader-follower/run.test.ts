import { describe, expect, it } from 'vitest';
import type { Schedule } from '../world/action.ts';
import { settled } from './finale.ts';
import { presets } from './presets.ts';
import { runSchedule } from './run.ts';

const { safe } = presets;

describe('runSchedule', () => {
  it('opens the history with every node\'s role, then the steps\' events', () => {
    const { events } = runSchedule(safe, [{ kind: 'invoke', client: 0, f: 'read', key: 0 }]);
    expect(events.slice(0, 3).map((e) => [e.process, e.f, e.node, e.value, e.time])).toEqual([
      ['cluster', 'role', 'n1', 'leader', 0],
      ['cluster', 'role', 'n2', 'follower', 0],
      ['cluster', 'role', 'n3', 'follower', 0],
    ]);
    expect(events[3]).toMatchObject({ type: 'invoke', process: 0, f: 'read', time: 1 });
  });

  it('ends operations still pending as info', () => {
    const { events } = runSchedule(safe, [
      { kind: 'invoke', client: 0, f: 'write', key: 0 },
      { kind: 'invoke', client: 1, f: 'read', key: 1 },
    ]);
    expect(events.slice(-2)).toEqual([
      { type: 'info', process: 0, f: 'write', key: 0, value: 1, time: 2, node: 'n1', error: 'pending at end' },
      { type: 'info', process: 1, f: 'read', key: 1, value: null, time: 2, node: 'n1', error: 'pending at end' },
    ]);
  });

  it('traces each step: the action, every node, the messages', () => {
    const { trace } = runSchedule(safe, [{ kind: 'invoke', client: 0, f: 'write', key: 0 }, { kind: 'drop', pick: 0 }, { kind: 'deliver', pick: 9 }]);
    expect(trace).toHaveLength(3);
    expect(trace[0].nodes).toEqual([
      { id: 'n1', role: 'leader', epoch: 1, log: 2, commit: 1 },
      { id: 'n2', role: 'follower', epoch: 1, log: 1, commit: 1 },
      { id: 'n3', role: 'follower', epoch: 1, log: 1, commit: 1 },
    ]);
    expect(trace[0].sent.map((m) => [m.kind, m.from, m.to, m.entries, m.after])).toEqual([
      ['append', 'n1', 'n2', 1, 1],
      ['append', 'n1', 'n3', 1, 1],
    ]);
    expect(trace[1].dropped.map((m) => m.to)).toEqual(['n2']);
    expect(trace[2]).toMatchObject({ time: 3, delivered: [{ to: 'n3' }], sent: [{ kind: 'append-reply', from: 'n3', ok: true }] });
    expect(runSchedule(safe, [{ kind: 'heal' }], { trace: false }).trace).toEqual([]);
    expect(runSchedule(safe, [{ kind: 'heal' }]).trace[0].noop).toBe('nothing to heal');
  });

  it('with the finale: heals, restarts, settles, then reads every key through a client', () => {
    const schedule: Schedule = [
      { kind: 'partition', groups: [0, 1, 1] },
      { kind: 'crash', node: 2 },
      { kind: 'invoke', client: 0, f: 'write', key: 1 },
      { kind: 'invoke', client: 1, f: 'append', key: 0 },
    ];
    const result = runSchedule(safe, schedule, { finale: true, invariants: 'every-step' });
    expect(result.finale.slice(0, 2)).toEqual([{ kind: 'heal' }, { kind: 'restart', node: 2 }]);
    expect(settled(result.state)).toBe(true);
    expect(result.violations).toEqual([]);
    expect(result.trace).toHaveLength(schedule.length + result.finale.length);
    const clientEvents = result.events.filter((e) => typeof e.process === 'number');
    expect(clientEvents.slice(-4).map((e) => [e.type, e.f, e.key, e.value])).toEqual([
      ['invoke', 'read', 0, null],
      ['ok', 'read', 0, [2]],
      ['invoke', 'read', 1, null],
      ['ok', 'read', 1, 1],
    ]);
  });

  it('counts a cluster with a candidate, or a node at a newer epoch, as unsettled, and the finale waits it out', () => {
    // n3 stands for election behind a partition: n1 still leads, every log agrees, nothing is in flight.
    const schedule: Schedule = [{ kind: 'partition', groups: [1, 1, 0] }, { kind: 'promote', node: 2 }];
    const stranded = runSchedule(safe, schedule).state;
    expect(stranded.network.inFlight).toEqual([]);
    expect(stranded.nodes.map((n) => [n.role, n.epoch])).toEqual([['leader', 1], ['follower', 1], ['candidate', 2]]);
    expect(settled(stranded)).toBe(false);
    const ended = runSchedule(safe, schedule, { finale: true });
    expect(settled(ended.state)).toBe(true);
    // The final reads came after the settling, so neither deposed a leader: both were answered at once.
    const reads = ended.events.filter((e) => typeof e.process === 'number' && e.type !== 'invoke');
    expect(reads.map((e) => [e.type, e.key])).toEqual([['ok', 0], ['ok', 1]]);
  });

  it('the finale retries a final read until it reaches the leader', () => {
    // Client 0 still believes n1 leads, but n1 was deposed.
    const result = runSchedule(safe, [{ kind: 'crash', node: 0 }, ...Array.from({ length: 4 }, () => ({ kind: 'tick', node: 1 }) as const), { kind: 'deliver', pick: 1 }, { kind: 'deliver', pick: 1 }], { finale: true });
    const reads = result.events.filter((e) => e.process === 0 && e.type !== 'invoke');
    expect(reads.map((e) => [e.type, e.node])).toEqual([
      ['fail', 'n1'],
      ['ok', 'n2'],
    ]);
  });

  it('reports each violation once, at the time it first appeared, when checking every step', () => {
    const schedule: Schedule = [
      { kind: 'invoke', client: 0, f: 'write', key: 0 },
      { kind: 'drop', pick: 0 },
      { kind: 'drop', pick: 0 },
      { kind: 'crash', node: 0 },
      ...Array.from({ length: 4 }, () => ({ kind: 'tick', node: 1 }) as const),
      { kind: 'deliver', pick: 1 },
      { kind: 'deliver', pick: 0 },
      { kind: 'deliver', pick: 0 },
      { kind: 'tick', node: 1 },
    ];
    // At time 11 n2 is elected without the acknowledged write, and (async) commits its no-op in its place.
    const every = runSchedule(presets['async-failover'], schedule, { invariants: 'every-step' }).violations;
    expect(every.map((v) => [v.kind, v.index, v.time])).toEqual([
      ['committed-changed', 2, 11],
      ['committed-lost', 2, 11],
    ]);
    const atEnd = runSchedule(presets['async-failover'], schedule).violations;
    expect(atEnd.map((v) => [v.kind, v.time])).toEqual([
      ['committed-changed', 12],
      ['committed-lost', 12],
    ]);
    expect(runSchedule(presets['async-failover'], schedule, { invariants: 'off' }).violations).toEqual([]);
  });
});
