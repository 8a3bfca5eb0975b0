import { valueEqual } from '../../history/value.ts';
import type { Log } from './log.ts';
import { agreedLength } from './log.ts';
import { leaseHolds } from './reads.ts';
import type { Node, State } from './state.ts';
import { nodeName } from './state.ts';
import type { Store } from './store.ts';
import { replay } from './store.ts';

// The safety invariants of single-leader replication, judged on any state (with its ghost record).
// A violation is data: which invariant, what exactly, which nodes. Flawed presets are expected to
// break some of these; `safe` never may.

export type InvariantKind =
  /** Two nodes led the same epoch. */
  | 'two-leaders'
  /** A leader of an old epoch acknowledged a write that the leader of the newest epoch lacks. */
  | 'deposed-ack'
  /** A committed entry was replaced by another. */
  | 'committed-changed'
  /** A leader of the newest committing epoch (or later) lacks a committed entry. */
  | 'committed-lost'
  /** Two logs hold an entry of the same index and epoch but differ at or before it. */
  | 'log-mismatch'
  /** A node's committed prefix is not a prefix of its leader's log. */
  | 'committed-prefix'
  /** A node applied entries beyond its commit point, or its store is not its log replayed to its applied index. */
  | 'store-mismatch'
  /** A node's commit point went down while it was up (only a restart forgets it). */
  | 'commit-regressed'
  /** A node granted its vote to two candidates in one epoch. */
  | 'double-vote'
  /** A node leads a newer epoch while an older leader's lease still holds. */
  | 'lease-overlap'
  /** A leader believes a follower of its epoch holds entries (matchIndex) that the follower does not. */
  | 'match-beyond-log';

export interface InvariantViolation {
  readonly kind: InvariantKind;
  readonly detail: string;
  readonly nodes: readonly string[];
  readonly epoch?: number;
  readonly index?: number;
}

export function checkInvariants(state: State): InvariantViolation[] {
  const violations: InvariantViolation[] = state.ghost.breaches.map(({ kind, detail, nodes, epoch, index, time }) => ({
    kind,
    detail: `${detail} (at time ${time})`,
    nodes,
    ...(epoch !== undefined && { epoch }),
    ...(index !== undefined && { index }),
  }));
  const up = state.nodes.filter((n) => n.up);
  const leaders = up.filter((n) => n.role === 'leader');
  const view: View = { state, up, leaders };
  for (const check of STATE_INVARIANTS) check(view, violations);
  return violations;
}

interface View {
  readonly state: State;
  readonly up: readonly Node[];
  readonly leaders: readonly Node[];
}

/**
 * The invariants one state shows, each a pure check adding what it finds. The rest (commit-regressed,
 * double-vote, deposed-ack, and breaches since undone) are noted by the ghost record as they happen.
 */
const STATE_INVARIANTS: readonly ((view: View, out: InvariantViolation[]) => void)[] = [
  ({ leaders }, out) => oneLeaderPerEpoch(leaders, out),
  ({ state, up }, out) => committedUnchanged(state, up, out),
  ({ state, leaders }, out) => committedKept(state, leaders, out),
  ({ state }, out) => logsMatch(state.nodes, out),
  ({ up, leaders }, out) => committedPrefixes(up, leaders, out),
  ({ state, up }, out) => storesReplayLogs(state, up, out),
  ({ state, leaders }, out) => leasesExclusive(state, leaders, out),
  ({ state, leaders }, out) => matchesHeld(state, leaders, out),
];

/** Stores already proved equal to their log's replay, so a step that changed neither costs nothing. */
const replayed = new WeakMap<Store, { readonly log: Log; readonly applied: number }>();

function storesReplayLogs(state: State, up: readonly Node[], out: InvariantViolation[]): void {
  for (const node of up) {
    if (node.applied > node.commit) {
      out.push({ kind: 'store-mismatch', detail: `${node.id} applied up to index ${node.applied}, beyond its commit point ${node.commit}`, nodes: [node.id], index: node.applied });
      continue;
    }
    const known = replayed.get(node.store);
    if (known && known.log === node.log && known.applied === node.applied) continue;
    const expected = replay(state.policy.keys, node.log, Math.min(node.applied, node.log.length));
    const key = expected.findIndex((value, k) => !valueEqual(value, node.store[k]));
    if (node.applied <= node.log.length && key < 0) {
      replayed.set(node.store, { log: node.log, applied: node.applied });
      continue;
    }
    out.push({
      kind: 'store-mismatch',
      detail: `${node.id}'s store is not its log replayed to its applied index ${node.applied}` + (key >= 0 ? ` (key ${key})` : ''),
      nodes: [node.id],
      index: node.applied,
    });
  }
}

/** Under leased reads, no node may have led a newer epoch while a leader still holds its lease. */
function leasesExclusive(state: State, leaders: readonly Node[], out: InvariantViolation[]): void {
  if (state.policy.reads !== 'lease') return;
  for (const leader of leaders) {
    const index = state.nodes.indexOf(leader);
    if (!leaseHolds(state, index)) continue;
    for (const key in state.ghost.leaders) {
      const epoch = Number(key);
      if (epoch <= leader.epoch) continue;
      const other = nodeName(state.ghost.leaders[epoch]);
      out.push({ kind: 'lease-overlap', detail: `${leader.id} holds its lease for epoch ${leader.epoch} while ${other} has led epoch ${epoch}`, nodes: [leader.id, other], epoch });
    }
  }
}

/** A leader's matchIndex for a follower of its own epoch never runs ahead of what that follower holds. */
function matchesHeld(state: State, leaders: readonly Node[], out: InvariantViolation[]): void {
  for (const leader of leaders) {
    for (let j = 0; j < state.nodes.length; j++) {
      const follower = state.nodes[j];
      const match = leader.peers[j].match;
      if (follower === leader || follower.epoch !== leader.epoch || match === 0) continue;
      if (agreedLength(leader.log, follower.log, match) === match) continue;
      out.push({
        kind: 'match-beyond-log',
        detail:
          leader.log.length < match
            ? `${leader.id} counts ${follower.id} as holding its log up to index ${match}, beyond its own ${leader.log.length} entries`
            : `${leader.id} counts ${follower.id} as holding its log up to index ${match}, but ${follower.id} holds ${follower.log.length} entries${follower.log.length >= match ? ', not the same ones' : ''}`,
        nodes: [leader.id, follower.id],
        index: match,
      });
    }
  }
}

function oneLeaderPerEpoch(leaders: readonly Node[], out: InvariantViolation[]): void {
  for (let i = 0; i < leaders.length; i++) {
    for (let j = i + 1; j < leaders.length; j++) {
      if (leaders[i].epoch !== leaders[j].epoch) continue;
      const epoch = leaders[i].epoch;
      out.push({ kind: 'two-leaders', detail: `${leaders[i].id} and ${leaders[j].id} both lead epoch ${epoch}`, nodes: [leaders[i].id, leaders[j].id], epoch });
    }
  }
}

function committedUnchanged(state: State, up: readonly Node[], out: InvariantViolation[]): void {
  const { committed, upTo } = state.ghost;
  for (const node of up) {
    const index = firstDifference(node.log, committed, Math.min(node.commit, upTo));
    if (index === 0) continue;
    out.push({
      kind: 'committed-changed',
      detail: `${node.id} counts index ${index} as committed but holds entry #${node.log[index - 1].id} there, not the committed #${committed[index - 1].id}`,
      nodes: [node.id],
      index,
    });
  }
}

function committedKept(state: State, leaders: readonly Node[], out: InvariantViolation[]): void {
  const { committed, upTo, epoch } = state.ghost;
  for (const leader of leaders) {
    if (leader.epoch < epoch) continue;
    const index = firstDifference(leader.log, committed, upTo);
    if (index === 0) continue;
    out.push({
      kind: 'committed-lost',
      detail: `${leader.id} leads epoch ${leader.epoch} without committed entry #${committed[index - 1].id} at index ${index}`,
      nodes: [leader.id],
      epoch: leader.epoch,
      index,
    });
  }
}

function logsMatch(nodes: readonly Node[], out: InvariantViolation[]): void {
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i].log;
      const b = nodes[j].log;
      let shared = Math.min(a.length, b.length);
      while (shared > 0 && a[shared - 1].epoch !== b[shared - 1].epoch) shared--;
      const index = firstDifference(a, b, shared);
      if (index === 0) continue;
      out.push({
        kind: 'log-mismatch',
        detail: `${nodes[i].id} and ${nodes[j].id} share index ${shared} in epoch ${a[shared - 1].epoch} but differ at index ${index}`,
        nodes: [nodes[i].id, nodes[j].id],
        index,
      });
    }
  }
}

function committedPrefixes(up: readonly Node[], leaders: readonly Node[], out: InvariantViolation[]): void {
  if (leaders.length === 0) return;
  const newest = Math.max(...leaders.map((l) => l.epoch));
  for (const leader of leaders.filter((l) => l.epoch === newest)) {
    for (const node of up) {
      if (node === leader || node.epoch > leader.epoch) continue;
      const index = firstDifference(node.log, leader.log, node.commit);
      if (index === 0) continue;
      out.push({
        kind: 'committed-prefix',
        detail: `${node.id} has committed up to index ${node.commit}, but ${leader.id} (epoch ${leader.epoch}) differs from it at index ${index}`,
        nodes: [node.id, leader.id],
        index,
      });
    }
  }
}

/** The first index in 1..upTo where the logs differ (a missing entry counts), or 0 when they agree. */
function firstDifference(a: Log, b: Log, upTo: number): number {
  const agreed = agreedLength(a, b, upTo);
  return agreed >= upTo ? 0 : agreed + 1;
}
