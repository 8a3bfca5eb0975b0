import { describe, expect, it } from 'vitest';
import type { Policy } from './policy.ts';
import { presets } from './presets.ts';
import { Scenario } from './scenario.ts';

const { safe } = presets;
const roles = (s: Scenario) => s.state.nodes.map((n) => `${n.role}@${n.epoch}`);

describe('fenced elections', () => {
  it('a follower stands after electionTimeout + its index ticks without a heartbeat', () => {
    const s = new Scenario(safe).tick(1, 3);
    expect(roles(s)[1]).toBe('follower@1');
    s.tick(1);
    expect(roles(s)[1]).toBe('candidate@2');
    expect(s.state.network.inFlight.map((m) => [m.kind, m.to, m.epoch])).toEqual([
      ['vote', 0, 2],
      ['vote', 2, 2],
    ]);
  });

  it('a heartbeat resets the timeout', () => {
    const s = new Scenario(safe).tick(1, 3).tick(0).drain().tick(1, 3);
    expect(roles(s)[1]).toBe('follower@1');
  });

  it('a majority of votes makes a leader, which deposes the old one through epochs', () => {
    const s = new Scenario(safe).elect(1);
    expect(roles(s)).toEqual(['follower@2', 'leader@2', 'follower@2']);
    expect(s.state.ghost.leaders).toEqual({ 1: 0, 2: 1 });
  });

  it('a node votes once per epoch', () => {
    // n2 and n3 both stand in epoch 2 before either hears of the other.
    const s = new Scenario(safe).tick(1, 4).tick(2, 5);
    expect(roles(s)).toEqual(['leader@1', 'candidate@2', 'candidate@2']);
    s.drain();
    // n1 granted n2's request, the first to arrive, and refused n3's; each candidate voted for itself.
    expect(s.state.nodes.map((n) => n.votedFor)).toEqual([1, 1, 2]);
    expect(roles(s)).toEqual(['follower@2', 'leader@2', 'follower@2']);
  });

  it('refuses a candidate whose log is behind', () => {
    const s = new Scenario(safe).do({ kind: 'crash', node: 2 }).write(0, 0).drain();
    s.do({ kind: 'restart', node: 2 }, { kind: 'partition', groups: [0, 1, 1] }).tick(2, 5).drain();
    expect(s.events.filter((e) => e.f === 'role' && e.node === 'n3').map((e) => e.value)).toEqual(['follower', 'down', 'follower', 'candidate']);
    expect(s.state.nodes[1].votedFor).toBeNull();
    expect(roles(s)).toEqual(['leader@1', 'follower@2', 'candidate@2']);
  });

  it('a leader steps down when a reply shows a newer epoch, abandoning its waiting clients', () => {
    const s = new Scenario(safe).do({ kind: 'partition', groups: [0, 1, 1] }).elect(1).write(0, 0, 0);
    s.do({ kind: 'heal' }).tick(0).drain();
    expect(roles(s)[0]).toBe('follower@2');
    expect(s.events.filter((e) => e.process === 0).map((e) => [e.type, e.error])).toEqual([
      ['invoke', undefined],
      ['info', 'stepped down'],
    ]);
  });

  it('nodes refuse appends of an older epoch', () => {
    const s = new Scenario(safe).do({ kind: 'partition', groups: [0, 1, 1] }).elect(1).write(0, 0, 0);
    const stale = s.state.network.inFlight.length;
    expect(stale).toBe(0); // cut off: lost at once
    s.do({ kind: 'heal' }).tick(0).do({ kind: 'deliver', pick: 0 });
    expect(s.state.nodes[1].log.map((e) => e.epoch)).toEqual([1, 2]);
  });
});

describe('other failover policies', () => {
  it('naive: a follower that misses heartbeats promotes itself without asking anyone', () => {
    const s = new Scenario(presets['naive-failover']).tick(1, 4);
    expect(roles(s)).toEqual(['leader@1', 'leader@2', 'follower@1']);
    expect(s.state.network.inFlight.every((m) => m.kind === 'append')).toBe(true);
  });

  it.each<Policy['failover']>(['manual', 'none'])('%s: a follower waits for ever', (failover) => {
    const s = new Scenario({ ...safe, failover }).tick(1, 20).tick(2, 20);
    expect(roles(s)).toEqual(['leader@1', 'follower@1', 'follower@1']);
  });
});

describe('lease promises', () => {
  const lease = presets['lease-reads'];

  it('a node does not stand while its own promise holds', () => {
    const s = new Scenario(lease).tick(0).drain().do({ kind: 'crash', node: 0 }).tick(1, 4);
    expect(s.state.time).toBeLessThan(s.state.nodes[1].heardAt + lease.lease);
    expect(roles(s)[1]).toBe('follower@1');
  });

  it('a node that heard from its leader within a lease ignores candidates; once it ran out, it votes', () => {
    // n2 hears nothing from n1 (a one-way cut); n3 hears every heartbeat.
    const s = new Scenario(lease).do({ kind: 'cut', from: 0, to: 1 });
    for (let i = 0; i < 4; i++) s.tick(0).drain();
    s.do({ kind: 'crash', node: 0 }).tick(1, 4).drain();
    expect(roles(s).slice(1)).toEqual(['candidate@2', 'follower@1']);
    expect(s.state.network.inFlight).toEqual([]); // no reply: n3 ignored the request altogether
    s.elect(1);
    expect(roles(s).slice(1)).toEqual(['leader@3', 'follower@3']);
  });
});
