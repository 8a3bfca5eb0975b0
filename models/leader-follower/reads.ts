import { complete } from './completion.ts';
import type { Effects } from './effects.ts';
import { majority } from './policy.ts';
import type { Node, State } from './state.ts';

// What makes a leader's answer to a read linearizable: proof that it still leads (a heartbeat round
// a majority acknowledged, or a lease such a round granted), and a commit of its own epoch, without
// which it cannot know what its predecessors committed.

export function committedInOwnEpoch(node: Node): boolean {
  return node.commit > 0 && node.log[node.commit - 1].epoch === node.epoch;
}

/** The newest read round a majority (the leader included) has acknowledged. */
export function confirmedRound(state: State, index: number): number {
  const node = state.nodes[index];
  return kthLargestOfPeers(node, index, majority(state.policy.nodes) - 1, (p) => p.round, node.round);
}

/** Whether leader `index` may answer from its own state without asking anyone. */
export function leaseHolds(state: State, index: number): boolean {
  const node = state.nodes[index];
  if (node.role !== 'leader' || !committedInOwnEpoch(node)) return false;
  const sentAt = kthLargestOfPeers(node, index, majority(state.policy.nodes) - 1, (p) => p.sentAt, state.time);
  return sentAt >= 0 && state.time < sentAt + state.policy.lease;
}

/** A node that acknowledged a leader within the last lease promised not to help elect another. */
export function promiseHolds(state: State, index: number): boolean {
  return state.policy.reads === 'lease' && state.time < state.nodes[index].heardAt + state.policy.lease;
}

/** Answers the read-index reads waiting on leader `index` whose round a majority has confirmed. */
export function answerReads(state: State, index: number, fx: Effects): State {
  if (state.policy.reads !== 'read-index') return state;
  const node = state.nodes[index];
  if (node.role !== 'leader' || !committedInOwnEpoch(node)) return state;
  const confirmed = confirmedRound(state, index);
  let next = state;
  for (let c = 0; c < state.clients.length; c++) {
    const op = state.clients[c].pending;
    if (op === null || op.f !== 'read' || op.node !== index || op.round > confirmed) continue;
    next = complete(next, c, { type: 'ok', value: node.store[op.key], epoch: node.epoch }, fx);
  }
  return next;
}

function kthLargestOfPeers(node: Node, self: number, k: number, of: (p: Node['peers'][number]) => number, own: number): number {
  if (k <= 0) return own;
  const values: number[] = [];
  for (let j = 0; j < node.peers.length; j++) if (j !== self) values.push(of(node.peers[j]));
  values.sort((a, b) => b - a);
  return values[k - 1];
}
