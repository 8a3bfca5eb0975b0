import type { Log } from './log.ts';
import { agreedLength } from './log.ts';
import type { Node, State } from './state.ts';

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
  | 'committed-prefix';

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
  oneLeaderPerEpoch(leaders, violations);
  committedUnchanged(state, up, violations);
  committedKept(state, leaders, violations);
  logsMatch(state.nodes, violations);
  committedPrefixes(up, leaders, violations);
  return violations;
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
