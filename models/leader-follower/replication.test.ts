import { describe, expect, it } from 'vitest';
import type { Policy } from './policy.ts';
import { presets } from './presets.ts';
import { Scenario } from './scenario.ts';

const { safe } = presets;
const acked = (s: Scenario) => s.events.some((e) => e.type === 'ok' && e.f === 'write');

/** Writes once, then delivers the appends to the first `copies` followers and every reply; was it acknowledged? */
function ackedAfter(policy: Policy, copies: number): boolean {
  const s = new Scenario(policy).write(0, 0);
  const followers = policy.nodes - 1;
  // In flight: one append per follower, in order; deliver the first `copies`, drop the rest.
  for (let i = 0; i < copies; i++) s.do({ kind: 'deliver', pick: followers - copies });
  for (let i = copies; i < followers; i++) s.do({ kind: 'drop', pick: 0 });
  s.drain();
  return acked(s);
}

describe('replication policies: when a write is acknowledged', () => {
  it('async: at the leader\'s own append, before anyone else has it', () => {
    const s = new Scenario(presets['async-failover']).write(0, 0);
    expect(acked(s)).toBe(true);
    expect(s.state.nodes.map((n) => n.log.length)).toEqual([2, 1, 1]);
  });

  it('semi-sync(1): after one follower', () => {
    const policy: Policy = { ...safe, replication: { kind: 'semi-sync', acks: 1 } };
    expect([ackedAfter(policy, 0), ackedAfter(policy, 1)]).toEqual([false, true]);
  });

  it('semi-sync(2) on five nodes: after two followers', () => {
    const policy: Policy = { ...safe, nodes: 5, replication: { kind: 'semi-sync', acks: 2 } };
    expect([ackedAfter(policy, 1), ackedAfter(policy, 2)]).toEqual([false, true]);
  });

  it('quorum on five nodes: after two followers (three of five)', () => {
    const policy: Policy = { ...safe, nodes: 5 };
    expect([ackedAfter(policy, 1), ackedAfter(policy, 2)]).toEqual([false, true]);
  });

  it('all: only after every follower', () => {
    const policy: Policy = { ...safe, nodes: 4, replication: { kind: 'all' } };
    expect([ackedAfter(policy, 2), ackedAfter(policy, 3)]).toEqual([false, true]);
  });
});

describe('log replication', () => {
  it('followers learn the commit point with the next append, and apply then', () => {
    const s = new Scenario(safe).write(0, 0).drain();
    expect(s.state.nodes.map((n) => [n.commit, n.store[0]])).toEqual([
      [2, 1],
      [1, null],
      [1, null],
    ]);
    s.tick(0).drain();
    expect(s.state.nodes.map((n) => [n.commit, n.store[0]])).toEqual([
      [2, 1],
      [2, 1],
      [2, 1],
    ]);
  });

  it('keeps one append in flight per follower, and resends a lost one on the next tick', () => {
    const s = new Scenario(safe).write(0, 0).write(1, 1);
    expect(s.state.network.inFlight.map((m) => [m.kind, m.to])).toEqual([
      ['append', 1],
      ['append', 2],
    ]);
    s.do({ kind: 'drop', pick: 0 }, { kind: 'drop', pick: 0 }).tick(0);
    const resent = s.state.network.inFlight;
    expect(resent.map((m) => (m.kind === 'append' ? [m.to, m.prevIndex, m.entries.length] : []))).toEqual([
      [1, 1, 2],
      [2, 1, 2],
    ]);
    s.drain();
    expect(s.events.filter((e) => e.type === 'ok').map((e) => e.process)).toEqual([0, 1]);
  });

  it('a duplicated, late reply never moves a follower backwards', () => {
    const s = new Scenario(safe).write(0, 0).do({ kind: 'deliver', pick: 0 });
    s.do({ kind: 'duplicate', pick: 1 }); // n2's reply, twice
    s.drain().write(0, 0).drain();
    expect(s.state.nodes[0].peers[1]).toMatchObject({ match: 3, next: 4 });
  });

  it('a new leader learns what is committed by committing its own no-op, older entries with it', () => {
    // Every node has the write, but n1 dies before any acknowledgement reaches it.
    const s = new Scenario(safe).write(0, 0).do({ kind: 'deliver', pick: 0 }, { kind: 'deliver', pick: 0 }, { kind: 'crash', node: 0 });
    s.do({ kind: 'drop', pick: 0 }, { kind: 'drop', pick: 0 }).tick(1, 4);
    s.do({ kind: 'deliver', pick: 0 }, { kind: 'deliver', pick: 0 }, { kind: 'deliver', pick: 0 }); // n3 votes, n2 leads
    expect(s.state.nodes[1]).toMatchObject({ role: 'leader', epoch: 2, commit: 1 });
    expect(s.state.nodes[1].log.map((e) => e.epoch)).toEqual([1, 1, 2]);
    s.drain();
    expect(s.state.nodes[1]).toMatchObject({ commit: 3, store: [1, null] });
    expect(s.events.filter((e) => e.process === 0).map((e) => e.type)).toEqual(['invoke', 'info']);
  });

  it('a returning follower with a divergent, uncommitted suffix is truncated to the leader\'s log', () => {
    const s = new Scenario(safe).write(0, 0).do({ kind: 'drop', pick: 0 }, { kind: 'drop', pick: 0 }, { kind: 'crash', node: 0 });
    s.elect(1).write(1, 0, 1).drain().do({ kind: 'restart', node: 0 }).tick(1).drain();
    const [old, leader] = s.state.nodes;
    expect(old.log).toEqual(leader.log);
    expect(old.log.map((e) => [e.epoch, e.command.kind])).toEqual([
      [1, 'noop'],
      [2, 'noop'],
      [2, 'client'],
    ]);
  });
});
