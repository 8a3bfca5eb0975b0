import { describe, expect, it } from 'vitest';
import { presets } from './presets.ts';
import { Scenario } from './scenario.ts';

const { safe } = presets;
const lastCompletion = (s: Scenario, client: number) => s.events.filter((e) => e.process === client && e.type !== 'invoke').at(-1);

describe('read policies', () => {
  it('read-index: the leader answers once a majority has acknowledged a round begun after the read', () => {
    const s = new Scenario(safe).write(0, 0).drain().read(1, 0);
    expect(s.state.clients[1].pending).toMatchObject({ round: 1 });
    expect(s.state.network.inFlight.map((m) => (m.kind === 'append' ? m.round : -1))).toEqual([1, 1]);
    s.do({ kind: 'deliver', pick: 0 });
    expect(s.state.clients[1].pending).not.toBeNull();
    s.do({ kind: 'deliver', pick: 1 });
    expect(lastCompletion(s, 1)).toMatchObject({ type: 'ok', value: 1, node: 'n1', epoch: 1 });
  });

  it('read-index: a new leader waits until it has committed an entry of its own epoch', () => {
    const s = new Scenario(safe).do({ kind: 'crash', node: 0 }).tick(1, 4).drain(4);
    expect(s.state.nodes[1]).toMatchObject({ role: 'leader', commit: 1 });
    s.read(2, 0, 1).drain(1); // n3 gets the append carrying the no-op and the read round...
    expect(s.state.clients[2].pending).not.toBeNull();
    s.drain(); // ...and its acknowledgement commits the no-op and confirms the round at once
    expect(lastCompletion(s, 2)).toMatchObject({ type: 'ok', node: 'n2', epoch: 2 });
  });

  it('lease: the leader answers alone while a majority acknowledged a recent heartbeat', () => {
    const lease = presets['lease-reads'];
    const s = new Scenario(lease).tick(0).drain().read(1, 0);
    expect(lastCompletion(s, 1)).toMatchObject({ type: 'ok', node: 'n1' });
    s.tick(2, lease.lease); // time passes, no heartbeat
    s.read(1, 0);
    expect(lastCompletion(s, 1)).toMatchObject({ type: 'fail', error: 'no lease' });
  });

  it('leader: the node that believes it leads answers from its own state at once', () => {
    const s = new Scenario(presets['stale-leader-reads']).write(0, 0).drain().read(1, 0);
    expect(lastCompletion(s, 1)).toMatchObject({ type: 'ok', value: 1, node: 'n1' });
  });

  it('follower: reads go to other nodes than the known leader, spread over the clients', () => {
    const s = new Scenario(presets['follower-reads']).read(0, 0).read(1, 0).read(2, 0);
    expect([0, 1, 2].map((c) => lastCompletion(s, c)?.node)).toEqual(['n2', 'n3', 'n2']);
  });
});
