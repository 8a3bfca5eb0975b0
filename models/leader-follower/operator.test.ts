import { describe, expect, it } from 'vitest';
import { presets } from './presets.ts';
import { Scenario } from './scenario.ts';

const { safe } = presets;
const roles = (s: Scenario) => s.state.nodes.map((n) => `${n.role}@${n.epoch}`);

describe('operator failover', () => {
  it('manual: a promoted follower leads a new epoch at once, and nothing stops the old leader', () => {
    const s = new Scenario(presets['no-fencing']).do({ kind: 'promote', node: 2 });
    expect(roles(s)).toEqual(['leader@1', 'follower@1', 'leader@2']);
    expect(s.events.find((e) => e.f === 'promote')).toMatchObject({ process: 'nemesis', node: 'n3', value: 'n3' });
    s.drain();
    expect(roles(s)).toEqual(['leader@1', 'follower@2', 'leader@2']);
  });

  it('fenced: a promotion is an election called now, which deposes the leader through the vote', () => {
    const s = new Scenario(safe).do({ kind: 'promote', node: 2 });
    expect(roles(s)).toEqual(['leader@1', 'follower@1', 'candidate@2']);
    s.drain();
    expect(roles(s)).toEqual(['follower@2', 'follower@2', 'leader@2']);
  });

  it('none: there is nothing to promote to', () => {
    const s = new Scenario({ ...safe, failover: 'none' }).do({ kind: 'promote', node: 1 }, { kind: 'demote', node: 0 });
    expect(roles(s)).toEqual(['leader@1', 'follower@1', 'follower@1']);
    expect(s.events.filter((e) => e.process === 'nemesis')).toEqual([]);
  });

  it('demote: the leader steps down in its epoch, abandoning its waiting clients', () => {
    const s = new Scenario(safe).write(0, 0).do({ kind: 'demote', node: 0 });
    expect(roles(s)).toEqual(['follower@1', 'follower@1', 'follower@1']);
    expect(s.events.at(-1)).toMatchObject({ type: 'info', process: 0, error: 'stepped down' });
  });

  it('a down node cannot be promoted', () => {
    const s = new Scenario(safe).do({ kind: 'crash', node: 1 }, { kind: 'promote', node: 1 });
    expect(roles(s)[1]).toBe('follower@1');
  });
});
