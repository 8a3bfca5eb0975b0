import { describe, expect, it } from 'vitest';
import type { Event } from '../../history/event.ts';
import type { LeaseClock, Policy } from './policy.ts';
import { presets } from './presets.ts';
import { Scenario } from './scenario.test-kit.ts';
import type { LeaderFollowerNode } from './system.ts';
import { leaderFollower } from './system.ts';

// The built-in design's handlers, one behaviour at a time, through the world runner: clients, the
// replication policies, crash and restart, elections, operator failover, and the read policies.

const { safe } = presets;
const outcomes = (events: readonly Event[], client = 0) =>
  events
    .filter((e) => e.process === client && e.type !== 'invoke' && e.error !== 'pending at end')
    .map((e) => `${e.type} ${e.f} ${JSON.stringify(e.value)} ${e.node}${e.error ? ` (${e.error})` : ''}`);
const roleOf = (s: Scenario, node: number) => `${s.nodes[node]!.role} e${s.nodes[node]!.epoch}`;

describe('clients', () => {
  it('are refused by a follower, which names the leader for next time', () => {
    const s = new Scenario(safe).write(0, 0, 1).write(0, 0);
    expect(outcomes(s.events)).toEqual(['fail write 1 n2 (not leader)']);
    expect(s.events.filter((e) => e.type === 'invoke').at(-1)).toMatchObject({ node: 'n1' });
  });

  it('a quorum write stays pending until a majority holds it, and cas fails when its expected value is not current', () => {
    const s = new Scenario(safe).write(0, 0);
    expect(outcomes(s.events)).toEqual([]);
    s.do({ kind: 'deliver', pick: 0 }, { kind: 'deliver', pick: 1 });
    expect(outcomes(s.events)).toEqual(['ok write 1 n1']);
    s.do({ kind: 'invoke', client: 0, f: 'cas', key: 0, pick: 0 })
      .drain()
      .do({ kind: 'invoke', client: 0, f: 'cas', key: 0, pick: 1 })
      .drain();
    expect(outcomes(s.events).slice(1)).toEqual(['ok cas [1,2] n1', 'fail cas [1,3] n1 (cas mismatch)']);
  });
});

describe('replication policies acknowledge a write', () => {
  const acksAfter = (policy: Policy) => {
    const s = new Scenario(policy).write(0, 0);
    for (let delivered = 0; delivered <= policy.nodes; delivered++) {
      if (outcomes(s.events).length > 0) return delivered;
      // Deliver one more append and bring its reply back.
      s.do({ kind: 'deliver', pick: 0 }, { kind: 'deliver', pick: -1 });
    }
    return -1;
  };

  it("async at the leader's own append; semi-sync after k followers; quorum after a majority; all after every follower", () => {
    expect(acksAfter(presets['async-failover'])).toBe(0);
    expect(acksAfter({ ...safe, nodes: 5, replication: { kind: 'semi-sync', acks: 1 } })).toBe(1);
    expect(acksAfter({ ...safe, nodes: 5, replication: { kind: 'semi-sync', acks: 2 } })).toBe(2);
    expect(acksAfter({ ...safe, nodes: 5 })).toBe(2);
    expect(acksAfter({ ...safe, replication: { kind: 'all' } })).toBe(2);
  });

  it('resends a lost append on the next heartbeat', () => {
    const s = new Scenario(safe).write(0, 0).do({ kind: 'drop', pick: 0 }, { kind: 'drop', pick: 0 }).tick(0).drain();
    expect(outcomes(s.events)).toEqual(['ok write 1 n1']);
    expect(s.nodes.map((n) => n.log.length)).toEqual([2, 2, 2]);
  });
});

describe('append policies', () => {
  const appends = (s: Scenario) => s.inFlight.filter((m) => m.kind === 'append' && m.to === 'n2');

  it('batch: an append carries at most that many entries, and a lagging follower is backfilled batch by batch', () => {
    const s = new Scenario({ ...safe, batch: 1 }).write(0, 0).write(1, 1).write(2, 0).dropAll({ kind: 'append' }).tick(0);
    expect(appends(s).map((m) => [m.after, m.entries])).toEqual([[1, 1]]);
    s.drain().tick(0).drain();
    expect(s.nodes.map((n) => n.log.length)).toEqual([4, 4, 4]);
    expect(outcomes(s.events, 2)).toEqual(['ok write 3 n1']);
  });

  it('pipeline: up to that many appends in flight to one follower, each going on from where the last ended', () => {
    const s = new Scenario({ ...safe, pipeline: 2 }).write(0, 0).write(1, 1).write(2, 0);
    expect(appends(s).map((m) => [m.after, m.entries])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect(appends(new Scenario(safe).write(0, 0).write(1, 1))).toHaveLength(1);
  });

  it("commit rule: own-epoch waits for an entry of the leader's epoch; any-epoch commits an old one by count", () => {
    // n2 holds n1's epoch-1 write alone; n3 elects it; its first append carries that write only.
    const story = (any: boolean) =>
      new Scenario({ ...safe, batch: 1, ...(any && { commitRule: 'any-epoch' as const }) })
        .write(0, 0)
        .deliver({ kind: 'append', to: 'n2' })
        .dropAll({ kind: 'append' })
        .dropAll({ kind: 'append-reply' })
        .do({ kind: 'crash', node: 0 })
        .tick(1, 4)
        .deliver({ kind: 'vote', to: 'n3' })
        .deliver({ kind: 'vote-reply', to: 'n2' })
        .deliver({ kind: 'append', to: 'n3' })
        .deliver({ kind: 'append-reply', to: 'n2' })
        .deliver({ kind: 'append', to: 'n3' })
        .deliver({ kind: 'append-reply', to: 'n2' });
    expect(story(false).nodes[1]).toMatchObject({ role: 'leader', epoch: 2, commit: 1 });
    expect(story(true).nodes[1]).toMatchObject({ role: 'leader', epoch: 2, commit: 2 });
  });
});

describe('followers', () => {
  it("learn the commit point with the leader's next append, and apply it then", () => {
    const s = new Scenario(safe).write(0, 0).deliver({ kind: 'append', to: 'n2' }).deliver({ kind: 'append-reply', to: 'n1' });
    expect(outcomes(s.events)).toEqual(['ok write 1 n1']);
    expect([s.nodes[0]!.commit, s.nodes[1]!.commit, s.nodes[1]!.store.values[0]]).toEqual([2, 1, null]);
    s.tick(0).deliver({ kind: 'append', to: 'n2' });
    expect([s.nodes[1]!.commit, s.nodes[1]!.store.values[0]]).toEqual([2, 1]);
  });

  it('never go back for an old append delivered late, duplicated or not', () => {
    const s = new Scenario(safe).write(0, 0).do({ kind: 'duplicate', pick: 0 }).drain().write(1, 1).drain();
    expect(s.nodes[1]!.log).toHaveLength(3);
    // The copy of the first append, delivered after both writes, holds only the first.
    const late = new Scenario(safe).write(0, 0).do({ kind: 'duplicate', pick: 0 }).deliver({ kind: 'append', to: 'n2' });
    late.deliver({ kind: 'append-reply', to: 'n1' }).write(1, 1).deliver({ kind: 'append', to: 'n2', after: 2 });
    expect(late.nodes[1]!.log).toHaveLength(3);
    late.deliver({ kind: 'append', to: 'n2', after: 1 });
    expect(late.nodes[1]!.log).toHaveLength(3);
  });
});

describe('the finale', () => {
  it('tries a final read again, at the leader a refusal names, until it is answered', () => {
    // n2 leads epoch 2; client 0 still believes in n1.
    const s = new Scenario(safe)
      .do({ kind: 'partition', groups: [1, 0, 0] })
      .elect(1)
      .do({ kind: 'heal' })
      .finale();
    const finalReads = s.events.filter((e) => e.process === 0 && e.f === 'read' && e.type !== 'invoke');
    expect(finalReads.map((e) => `${e.type} ${e.node}${e.error ? ` (${e.error})` : ''}`)).toEqual(['fail n1 (not leader)', 'ok n2']);
  });
});

describe('settled', () => {
  const system = leaderFollower(safe);
  const views = (s: Scenario) => s.views;

  it('holds for one leader whose followers hold its log at its epoch, and not for a candidate or a node at a newer epoch', () => {
    const s = new Scenario(safe).write(0, 0).drain().tick(0).drain();
    expect(system.settled!(views(s))).toBe(true);
    const changed = (i: number, change: Partial<LeaderFollowerNode>) =>
      s.views.map((v, j) => (j === i ? { ...v, state: { ...v.state, ...change } } : v));
    expect(system.settled!(changed(2, { role: 'candidate' }))).toBe(false);
    expect(system.settled!(changed(2, { epoch: 2 }))).toBe(false);
    expect(system.settled!(changed(1, { role: 'leader' }))).toBe(false);
  });
});

describe('crash and restart', () => {
  it('durable: keeps log, epoch and vote; rebuilds the commit point and store from the leader', () => {
    const s = new Scenario(safe).write(0, 0).drain().tick(0).drain().do({ kind: 'crash', node: 1 }, { kind: 'restart', node: 1 });
    expect(s.nodes[1]).toMatchObject({ role: 'follower', epoch: 1, commit: 0, store: { values: [null, null] } });
    expect(s.nodes[1]!.log).toHaveLength(2);
    s.tick(0).drain();
    expect(s.nodes[1]).toMatchObject({ commit: 2, store: { values: [1, null] } });
  });

  it('unsynced: a crash loses what was appended since the last tick flushed the log', () => {
    const s = new Scenario(presets['unsynced-restart']).write(0, 0).drain().do({ kind: 'crash', node: 1 }, { kind: 'restart', node: 1 });
    expect(s.nodes[1]!.log).toHaveLength(1);
    const flushed = new Scenario(presets['unsynced-restart'])
      .write(0, 0)
      .drain()
      .tick(1)
      .do({ kind: 'crash', node: 1 }, { kind: 'restart', node: 1 });
    expect(flushed.nodes[1]!.log).toHaveLength(2);
  });

  it('a fenced leader comes back as a follower; an unfenced one resumes leading its epoch', () => {
    const crashed = [
      { kind: 'crash', node: 0 },
      { kind: 'restart', node: 0 },
    ] as const;
    expect(roleOf(new Scenario(safe).do(...crashed), 0)).toBe('follower e1');
    expect(roleOf(new Scenario(presets['no-fencing']).do(...crashed), 0)).toBe('leader e1');
  });
});

describe('elections', () => {
  it('a deposed leader steps down on a reply that carries a newer epoch, and its waiting clients learn nothing more', () => {
    const s = new Scenario(safe)
      .do({ kind: 'partition', groups: [1, 0, 0] })
      .elect(1)
      .write(0, 0, 0)
      .do({ kind: 'heal' })
      .tick(0);
    expect(roleOf(s, 0)).toBe('leader e1');
    s.deliver({ kind: 'append', to: 'n2' }).deliver({ kind: 'append-reply', to: 'n1' });
    expect(roleOf(s, 0)).toBe('follower e2');
    expect(outcomes(s.events)).toEqual(['info write 1 n1 (stepped down)']);
  });

  it('a follower stands after electionTimeout + its index ticks without a heartbeat, and a majority makes it leader', () => {
    const s = new Scenario(safe).do({ kind: 'crash', node: 0 }).tick(1, 3);
    expect(roleOf(s, 1)).toBe('follower e1');
    s.tick(1).drain();
    expect(roleOf(s, 1)).toBe('leader e2');
    expect(roleOf(s, 2)).toBe('follower e2');
  });

  it('refuses a candidate whose log is behind', () => {
    const s = new Scenario(safe)
      .do({ kind: 'crash', node: 2 })
      .write(0, 0)
      .drain()
      .do({ kind: 'crash', node: 0 }, { kind: 'restart', node: 2 });
    s.do({ kind: 'promote', node: 2 }).drain();
    expect(roleOf(s, 2)).toBe('candidate e2');
    expect(
      s.trace
        .flatMap((t) => t.delivered)
        .filter((m) => m.kind === 'vote-reply')
        .map((m) => [m.from, m.ok]),
    ).toEqual([['n2', false]]);
  });

  it('naive: a follower that misses heartbeats promotes itself without asking anyone', () => {
    const s = new Scenario(presets['naive-failover']).do({ kind: 'partition', groups: [0, 1, 1] }).tick(1, 4);
    expect([roleOf(s, 0), roleOf(s, 1)]).toEqual(['leader e1', 'leader e2']);
  });

  it('under leases, a node that heard from its leader within a lease ignores candidates', () => {
    const s = new Scenario(presets['lease-reads']).tick(0).drain().do({ kind: 'promote', node: 1 });
    expect(roleOf(s, 1)).toBe('follower e1');
  });
});

describe('operator failover', () => {
  it('manual: a promoted follower leads a new epoch at once, and nothing stops the old leader', () => {
    const s = new Scenario(presets['no-fencing']).do({ kind: 'promote', node: 1 });
    expect([roleOf(s, 0), roleOf(s, 1)]).toEqual(['leader e1', 'leader e2']);
  });

  it('fenced: a promotion is an election called now, which deposes the leader through the vote', () => {
    const s = new Scenario(safe).do({ kind: 'promote', node: 1 }).drain();
    expect([roleOf(s, 0), roleOf(s, 1)]).toEqual(['follower e2', 'leader e2']);
  });

  it('demote: the leader steps down in its epoch, abandoning its waiting clients', () => {
    const s = new Scenario(safe).write(0, 0).do({ kind: 'demote', node: 0 });
    expect(roleOf(s, 0)).toBe('follower e1');
    expect(outcomes(s.events)).toEqual(['info write 1 n1 (stepped down)']);
  });
});

describe('read policies', () => {
  it('read-index: the leader answers once a majority acknowledged a round begun after the read', () => {
    const s = new Scenario(safe).read(0, 0);
    expect(outcomes(s.events)).toEqual([]);
    s.do({ kind: 'deliver', pick: 0 }, { kind: 'deliver', pick: 1 });
    expect(outcomes(s.events)).toEqual(['ok read null n1']);
  });

  it('lease: the leader answers alone while a majority acknowledged a recent heartbeat, and refuses once it ran out', () => {
    const s = new Scenario(presets['lease-reads']).tick(0).drain().read(0, 0);
    expect(outcomes(s.events)).toEqual(['ok read null n1']);
    // The lease it trusts is 36 steps of its clock (of the followers' 60: drift), from the heartbeat it
    // sent at step 1: a read at step 36 is answered, one at step 37 refused.
    s.tick(1, 29).read(0, 0);
    expect(outcomes(s.events).at(-1)).toBe('ok read null n1');
    s.read(0, 0);
    expect(outcomes(s.events).at(-1)).toBe('fail read null n1 (no lease)');
  });

  it('lease checked against the clock read when the read arrives, or (a flaw) the reading of its last tick, however long ago', () => {
    const answer = (leaseClock: LeaseClock) =>
      outcomes(new Scenario({ ...presets['lease-reads'], leaseClock }).tick(0).drain().tick(1, 40).read(0, 0).events).at(-1);
    expect(answer('on-read')).toBe('fail read null n1 (no lease)');
    expect(answer('last-tick')).toBe('ok read null n1');
  });

  it('lease under drift: a slow clock stretches the lease in real time, a fast one shortens it; timed from the reply, it starts later', () => {
    const readsAnswered = (policy: Policy, rate: number, steps: number) => {
      const s = new Scenario(policy).do({ kind: 'clock', node: 0, rate }).tick(0).drain().tick(1, steps).read(0, 0);
      return outcomes(s.events).at(-1);
    };
    const lease = presets['lease-reads'];
    // 4 steps after the heartbeat went out, 36 units trusted: at rate 3/4 that is 48 steps, at 5/4 under 29.
    expect(readsAnswered(lease, -1, 40)).toBe('ok read null n1');
    expect(readsAnswered(lease, 0, 40)).toBe('fail read null n1 (no lease)');
    expect(readsAnswered(lease, 1, 28)).toBe('fail read null n1 (no lease)');
    expect(readsAnswered(presets['lease-from-reply'], 0, 32)).toBe('ok read null n1');
    expect(readsAnswered(lease, 0, 32)).toBe('fail read null n1 (no lease)');
  });

  it('leader: the node that believes it leads answers from its own state at once; follower: a follower answers', () => {
    expect(outcomes(new Scenario(presets['stale-leader-reads']).read(0, 0).events)).toEqual(['ok read null n1']);
    const offloaded = new Scenario(presets['follower-reads']).read(1, 0).drain();
    expect(outcomes(offloaded.events, 1)).toEqual(['ok read null n3']);
  });
});
