import { describe, expect, it } from 'vitest';
import { checkInvariants } from './invariants.ts';
import type { Entry } from './log.ts';
import { presets } from './presets.ts';
import { Scenario } from './scenario.ts';
import type { Node, State } from './state.ts';
import { initialState } from './state.ts';

const { safe } = presets;
const kinds = (state: State) => checkInvariants(state).map((v) => v.kind);

function withNodes(state: State, change: (nodes: Node[]) => void): State {
  const nodes = state.nodes.slice();
  change(nodes);
  return { ...state, nodes };
}

/** A committed write on every node: logs [no-op, write], commit 2 everywhere. */
function committed(): State {
  return new Scenario(safe).write(0, 0).drain().tick(0).drain().state;
}

const impostor = (entry: Entry): Entry => ({ ...entry, id: 999 });

describe('invariants on single states', () => {
  it('hold on the initial state and after ordinary work', () => {
    expect(checkInvariants(initialState(safe))).toEqual([]);
    expect(checkInvariants(committed())).toEqual([]);
  });

  it('at most one leader per epoch', () => {
    const state = withNodes(initialState(safe), (n) => (n[2] = { ...n[2], role: 'leader' }));
    expect(checkInvariants(state)).toEqual([{ kind: 'two-leaders', detail: 'n1 and n3 both lead epoch 1', nodes: ['n1', 'n3'], epoch: 1 }]);
  });

  it('committed entries never change', () => {
    const state = withNodes(committed(), (n) => (n[2] = { ...n[2], log: [n[2].log[0], impostor(n[2].log[1])] }));
    expect(kinds(state)).toContain('committed-changed');
    expect(checkInvariants(state).find((v) => v.kind === 'committed-changed')).toMatchObject({ nodes: ['n3'], index: 2 });
  });

  it('a leader of the newest committing epoch holds every committed entry', () => {
    const state = withNodes(committed(), (n) => (n[0] = { ...n[0], log: n[0].log.slice(0, 1), commit: 1 }));
    expect(checkInvariants(state)).toMatchObject([
      { kind: 'committed-lost', nodes: ['n1'], index: 2 },
      { kind: 'committed-prefix' },
      { kind: 'committed-prefix' },
      // What the cut-down log leaves behind: a store applied past the commit point, matches past the log.
      { kind: 'store-mismatch', nodes: ['n1'] },
      { kind: 'match-beyond-log', nodes: ['n1', 'n2'], detail: 'n1 counts n2 as holding its log up to index 2, beyond its own 1 entries' },
      { kind: 'match-beyond-log', nodes: ['n1', 'n3'] },
    ]);
  });

  it('logs that share an (index, epoch) agree on everything before it', () => {
    const base = committed();
    const state = withNodes(base, (n) => {
      const log = n[1].log;
      n[1] = { ...n[1], log: [log[0], impostor(log[1]), { ...log[1], index: 3, id: 1000 }], commit: 1 };
      n[2] = { ...n[2], log: [...n[2].log, { ...log[1], index: 3, id: 1000 }], commit: 1 };
    });
    // n2 holds an impostor at index 2 (epoch 1, like n1's entry there), then the same entry 3 as n3.
    expect(checkInvariants(state).filter((v) => v.kind === 'log-mismatch')).toMatchObject([
      { nodes: ['n1', 'n2'], index: 2 },
      { nodes: ['n2', 'n3'], index: 2 },
    ]);
  });

  it("a follower's committed prefix is a prefix of the leader's log", () => {
    const state = withNodes(committed(), (n) => (n[0] = { ...n[0], log: [n[0].log[0], impostor(n[0].log[1])] }));
    const found = checkInvariants(state);
    expect(found.filter((v) => v.kind === 'committed-prefix').map((v) => v.nodes)).toEqual([
      ['n2', 'n1'],
      ['n3', 'n1'],
    ]);
  });
});

describe('sharper invariants', () => {
  it('a store is its log replayed to its applied index, never past the commit point', () => {
    const wrong = withNodes(committed(), (n) => (n[1] = { ...n[1], store: [42, null] }));
    expect(checkInvariants(wrong)).toEqual([{ kind: 'store-mismatch', detail: "n2's store is not its log replayed to its applied index 2 (key 0)", nodes: ['n2'], index: 2 }]);
    const ahead = withNodes(committed(), (n) => (n[2] = { ...n[2], commit: 1 }));
    expect(kinds(ahead)).toEqual(['store-mismatch']);
  });

  it("a leader's matchIndex for a follower of its epoch never runs ahead of what the follower holds", () => {
    const behind = withNodes(committed(), (n) => (n[2] = { ...n[2], log: n[2].log.slice(0, 1), commit: 1, applied: 1, store: [null, null] }));
    expect(checkInvariants(behind)).toEqual([
      { kind: 'match-beyond-log', detail: 'n1 counts n3 as holding its log up to index 2, but n3 holds 1 entries', nodes: ['n1', 'n3'], index: 2 },
    ]);
    // A follower already at a newer epoch may have been truncated by its new leader: no breach of this one.
    const moved = withNodes(behind, (n) => (n[2] = { ...n[2], epoch: 2 }));
    expect(kinds(moved)).not.toContain('match-beyond-log');
  });

  it('a commit point never goes down on a node that stays up', async () => {
    const { runSchedule } = await import('./run.ts');
    // async-failover: n1 commits its append alone; n2 is elected without it and truncates n1 back.
    const { violations } = runSchedule(presets['async-failover'], [{ kind: 'invoke', client: 0, f: 'append', key: 0 }, { kind: 'promote', node: 1 }, { kind: 'deliver', pick: 3 }], { finale: true, invariants: 'every-step' });
    expect(violations.find((v) => v.kind === 'commit-regressed')).toMatchObject({ nodes: ['n1'], detail: 'n1 had committed up to index 2, then only up to 1 (at time 14)' });
    expect(runSchedule(safe, [{ kind: 'invoke', client: 0, f: 'append', key: 0 }, { kind: 'promote', node: 1 }, { kind: 'deliver', pick: 3 }], { finale: true, invariants: 'every-step' }).violations).toEqual([]);
  });

  it('a node votes once per epoch, even across a restart that forgot its vote', () => {
    const story = (preset: typeof safe) =>
      new Scenario(preset)
        .do({ kind: 'promote', node: 1 }, { kind: 'promote', node: 2 }, { kind: 'deliver', pick: 0 }, { kind: 'crash', node: 0 }, { kind: 'restart', node: 0 }, { kind: 'deliver', pick: 1 })
        .drain().state;
    const twice = story({ ...safe, votes: 'forgotten' });
    expect(kinds(twice)).toEqual(expect.arrayContaining(['double-vote', 'two-leaders']));
    expect(checkInvariants(twice)[0]).toMatchObject({ detail: 'n1 voted for n2 and then for n3 in epoch 2 (at time 6)', epoch: 2 });
    expect(kinds(story(safe))).toEqual([]);
  });

  it("no node leads a newer epoch while a leader's lease holds", () => {
    const leased = new Scenario(presets['lease-reads']).tick(0).drain().state;
    expect(checkInvariants(leased)).toEqual([]);
    const usurped = { ...leased, ghost: { ...leased.ghost, leaders: { ...leased.ghost.leaders, 2: 1 } } };
    expect(checkInvariants(usurped)).toEqual([{ kind: 'lease-overlap', detail: 'n1 holds its lease for epoch 1 while n2 has led epoch 2', nodes: ['n1', 'n2'], epoch: 2 }]);
  });
});

describe('the ghost record remembers breaches the state no longer shows', () => {
  it('two naive self-promotions into the same epoch, one of them crashed since', () => {
    const s = new Scenario(presets['naive-failover']).do({ kind: 'partition', groups: [0, 1, 2] }).tick(1, 4).tick(2, 5).do({ kind: 'crash', node: 2 });
    const found = checkInvariants(s.state);
    expect(found.map((v) => v.kind)).toEqual(['two-leaders', 'committed-changed', 'log-mismatch']);
    expect(found[0]).toMatchObject({ nodes: ['n2', 'n3'], epoch: 2, detail: 'n2 and n3 both led epoch 2 (at time 10)' });
    // Each committed its own no-op at index 2 in epoch 2 (async): same index, same epoch, different entries.
    expect(found[2]).toMatchObject({ nodes: ['n2', 'n3'], index: 2 });
  });
});

describe('flawed presets break the invariants their stories are about; read flaws break none', () => {
  it('async-failover loses a committed entry; no-fencing changes one', () => {
    const lost = new Scenario(presets['async-failover']).write(0, 0).do({ kind: 'drop', pick: 0 }, { kind: 'drop', pick: 0 }, { kind: 'crash', node: 0 }).elect(1);
    expect(kinds(lost.state)).toContain('committed-lost');

    const changed = new Scenario(presets['no-fencing']).do({ kind: 'partition', groups: [0, 1, 1] }, { kind: 'promote', node: 1 }).drain();
    changed.write(1, 0, 1).drain().do({ kind: 'heal' }).write(0, 0, 0).drain();
    expect(kinds(changed.state)).toContain('committed-changed');
  });

  it('stale and follower reads leave the replicated state sound', () => {
    for (const name of ['stale-leader-reads', 'follower-reads']) {
      const s = new Scenario(presets[name]).write(0, 0).drain().do({ kind: 'partition', groups: [0, 1, 1] }).elect(1).write(1, 0, 1).drain().read(0, 0).drain();
      expect(checkInvariants(s.state)).toEqual([]);
    }
  });
});
