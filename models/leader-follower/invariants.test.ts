import { describe, expect, it } from 'vitest';
import { runSystem } from '../world/run-system.ts';
import type { Finding, NodeView } from '../world/system.ts';
import type { Entry } from './log.ts';
import { leaderFollowerMonitor } from './monitor.ts';
import { presets } from './presets.ts';
import { Scenario } from './scenario.test-kit.ts';
import type { LeaderFollowerNode } from './system.ts';
import { leaderFollower } from './system.ts';

// The design's invariants, as its monitor judges them: on nodes changed by hand after a real run (the
// monitor has seen the run, so its ghost record holds what was committed), and over whole runs.

const { safe } = presets;
type Node = LeaderFollowerNode;

/** What the monitor finds in one more step whose nodes are `s`'s as `change` leaves copies of them. */
function judged(s: Scenario, change: (nodes: Node[]) => void = () => {}): Finding[] {
  const start = runSystem(leaderFollower(s.policy), []).nodes as NodeView<Node>[];
  const monitor = leaderFollowerMonitor(s.policy, start);
  const step = (nodes: readonly NodeView<Node>[]) =>
    monitor({ time: 99, action: { kind: 'heal' }, nodes, clocks: nodes.map(() => 99), events: [] });
  step(s.views);
  const nodes = s.views.map((v) => ({ ...v.state, peers: v.state.peers.map((p) => ({ ...p })) }));
  change(nodes);
  return [...step(s.views.map((v, i) => ({ ...v, state: nodes[i]! })))];
}
const kinds = (found: readonly Finding[] | null) => (found ?? []).map((v) => v.kind);

/** A committed write on every node: logs [no-op, write], commit 2 everywhere. */
const committed = () => new Scenario(safe).write(0, 0).drain().tick(0).drain();
const impostor = (entry: Entry): Entry => ({ ...entry, id: 999 });

describe('invariants on the nodes of one moment', () => {
  it('hold at the start and after ordinary work', () => {
    expect(judged(new Scenario(safe))).toEqual([]);
    expect(judged(committed())).toEqual([]);
  });

  it('at most one leader per epoch', () => {
    expect(judged(new Scenario(safe), (n) => (n[2]!.role = 'leader'))).toMatchObject([
      { kind: 'two-leaders', detail: 'n1 and n3 both led epoch 1 (at time 99)', nodes: ['n1', 'n3'] },
    ]);
  });

  it('committed entries never change', () => {
    const found = judged(committed(), (n) => (n[2]!.log = [n[2]!.log[0]!, impostor(n[2]!.log[1]!)]));
    expect(found.find((v) => v.kind === 'committed-changed')).toMatchObject({ nodes: ['n3'], detail: expect.stringContaining('index 2') });
  });

  it('a leader of the newest committing epoch holds every committed entry', () => {
    expect(judged(committed(), (n) => Object.assign(n[0]!, { log: n[0]!.log.slice(0, 1), commit: 1 }))).toMatchObject([
      { kind: 'commit-regressed', nodes: ['n1'] },
      { kind: 'committed-lost', nodes: ['n1'] },
      { kind: 'committed-prefix' },
      { kind: 'committed-prefix' },
      // What the cut-down log leaves behind: a store applied past the commit point, matches past the log.
      { kind: 'store-mismatch', nodes: ['n1'] },
      { kind: 'match-beyond-log', nodes: ['n1', 'n2'], detail: 'n1 counts n2 as holding its log up to index 2, beyond its own 1 entries' },
      { kind: 'match-beyond-log', nodes: ['n1', 'n3'] },
    ]);
  });

  it('logs that share an (index, epoch) agree on everything before it', () => {
    const found = judged(committed(), (n) => {
      const log = n[1]!.log;
      Object.assign(n[1]!, { log: [log[0]!, impostor(log[1]!), { ...log[1]!, index: 3, id: 1000 }], commit: 1 });
      Object.assign(n[2]!, { log: [...n[2]!.log, { ...log[1]!, index: 3, id: 1000 }], commit: 1 });
    });
    // n2 holds an impostor at index 2 (epoch 1, like n1's entry there), then the same entry 3 as n3.
    expect(found.filter((v) => v.kind === 'log-mismatch').map((v) => [v.nodes, v.detail.endsWith('differ at index 2')])).toEqual([
      [['n1', 'n2'], true],
      [['n2', 'n3'], true],
    ]);
  });

  it("a follower's committed prefix is a prefix of the leader's log", () => {
    const found = judged(committed(), (n) => (n[0]!.log = [n[0]!.log[0]!, impostor(n[0]!.log[1]!)]));
    expect(found.filter((v) => v.kind === 'committed-prefix').map((v) => v.nodes)).toEqual([
      ['n2', 'n1'],
      ['n3', 'n1'],
    ]);
  });

  it('a store is its log replayed to its applied index, never past the commit point', () => {
    expect(judged(committed(), (n) => (n[1]!.store = { ...n[1]!.store, values: [42, null] }))).toEqual([
      { kind: 'store-mismatch', detail: "n2's store is not its log replayed to its applied index 2 (key 0)", nodes: ['n2'] },
    ]);
    expect(kinds(judged(committed(), (n) => (n[2]!.commit = 1)))).toEqual(['commit-regressed', 'store-mismatch']);
  });

  it("a leader's matchIndex for a follower of its epoch never runs ahead of what the follower holds", () => {
    const behind = (n: Node[]) =>
      Object.assign(n[2]!, { log: n[2]!.log.slice(0, 1), commit: 1, applied: 1, store: { values: [null, null], sessions: [] } });
    expect(judged(committed(), behind).filter((v) => v.kind === 'match-beyond-log')).toEqual([
      { kind: 'match-beyond-log', detail: 'n1 counts n3 as holding its log up to index 2, but n3 holds 1 entries', nodes: ['n1', 'n3'] },
    ]);
    // A follower already at a newer epoch may have been truncated by its new leader: no breach of this one.
    expect(
      kinds(
        judged(committed(), (n) => {
          behind(n);
          n[2]!.epoch = 2;
        }),
      ),
    ).not.toContain('match-beyond-log');
  });

  it("no node leads a newer epoch while a leader's lease holds", () => {
    const leased = new Scenario(presets['lease-reads']).tick(0).drain();
    expect(judged(leased)).toEqual([]);
    // n2 leads epoch 2 for a moment (it is seen, and remembered), then no longer.
    const start = runSystem(leaderFollower(leased.policy), []).nodes as NodeView<Node>[];
    const monitor = leaderFollowerMonitor(leased.policy, start);
    const usurper = leased.views.map((v, i) => (i === 1 ? { ...v, state: { ...v.state, role: 'leader' as const, epoch: 2 } } : v));
    monitor({
      time: leased.schedule.length,
      action: { kind: 'heal' },
      nodes: usurper,
      clocks: [0, 0, 0].fill(leased.schedule.length),
      events: [],
    });
    expect(
      monitor({
        time: leased.schedule.length,
        action: { kind: 'heal' },
        nodes: leased.views,
        clocks: [0, 0, 0].fill(leased.schedule.length),
        events: [],
      }),
    ).toEqual([{ kind: 'lease-overlap', detail: 'n1 holds its lease for epoch 1 while n2 has led epoch 2', nodes: ['n1', 'n2'] }]);
  });
});

describe('breaches over a run, remembered after the nodes no longer show them', () => {
  it('a commit point never goes down on a node that stays up', () => {
    // async-failover: n1 commits its append alone; n2 is elected without it and truncates n1 back.
    const schedule = [
      { kind: 'invoke', client: 0, f: 'append', key: 0 },
      { kind: 'promote', node: 1 },
      { kind: 'deliver', pick: 3 },
    ] as const;
    const { violations } = runSystem(leaderFollower(presets['async-failover']), schedule, { finale: true });
    expect(violations!.find((v) => v.kind === 'commit-regressed')).toMatchObject({
      nodes: ['n1'],
      detail: expect.stringMatching(/^n1 had committed up to index 2, then only up to 1 \(at time \d+\)$/),
    });
    expect(runSystem(leaderFollower(safe), schedule, { finale: true }).violations).toEqual([]);
  });

  it('a node votes once per epoch, even across a restart that forgot its vote', () => {
    const story = (preset: typeof safe) =>
      new Scenario(preset)
        .do(
          { kind: 'promote', node: 1 },
          { kind: 'promote', node: 2 },
          { kind: 'deliver', pick: 0 },
          { kind: 'crash', node: 0 },
          { kind: 'restart', node: 0 },
          { kind: 'deliver', pick: 1 },
        )
        .drain();
    const twice = story({ ...safe, votes: 'forgotten' });
    expect(kinds(twice.violations)).toEqual(expect.arrayContaining(['double-vote', 'two-leaders']));
    expect(twice.violations!.find((v) => v.kind === 'double-vote')).toMatchObject({
      detail: 'n1 voted for n2 and then for n3 in epoch 2 (at time 6)',
    });
    expect(story(safe).violations).toEqual([]);
  });

  it('two naive self-promotions into the same epoch, one of them crashed since', () => {
    const s = new Scenario(presets['naive-failover'])
      .do({ kind: 'partition', groups: [0, 1, 2] })
      .tick(1, 4)
      .tick(2, 5)
      .do({ kind: 'crash', node: 2 });
    expect(kinds(s.violations)).toEqual(expect.arrayContaining(['two-leaders', 'log-mismatch']));
    expect(s.violations!.find((v) => v.kind === 'two-leaders')).toMatchObject({
      nodes: ['n2', 'n3'],
      detail: 'n2 and n3 both led epoch 2 (at time 10)',
    });
  });
});

describe('flawed presets break the invariants their stories are about; read flaws break none', () => {
  it('async-failover loses a committed entry; no-fencing changes one', () => {
    const lost = new Scenario(presets['async-failover'])
      .write(0, 0)
      .do({ kind: 'drop', pick: 0 }, { kind: 'drop', pick: 0 }, { kind: 'crash', node: 0 })
      .elect(1);
    expect(kinds(lost.violations)).toContain('committed-lost');
    const changed = new Scenario(presets['no-fencing']).do({ kind: 'partition', groups: [0, 1, 1] }, { kind: 'promote', node: 1 }).drain();
    changed.write(1, 0, 1).drain().do({ kind: 'heal' }).write(0, 0, 0).drain();
    expect(kinds(changed.violations)).toContain('committed-changed');
  });

  it('stale and follower reads leave the replicated state sound', () => {
    for (const name of ['stale-leader-reads', 'follower-reads']) {
      const s = new Scenario(presets[name]!)
        .write(0, 0)
        .drain()
        .do({ kind: 'partition', groups: [0, 1, 1] })
        .elect(1)
        .write(1, 0, 1)
        .drain()
        .read(0, 0)
        .drain();
      expect(s.violations).toEqual([]);
    }
  });
});
