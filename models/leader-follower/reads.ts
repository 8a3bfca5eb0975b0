import type { Policy } from './policy.ts';
import { leaseFor, majority } from './policy.ts';
import type { LeaderFollowerNode, Peer } from './system.ts';

// What makes a leader's answer to a read linearizable: proof that it still leads (a heartbeat round
// a majority acknowledged, or a lease such a round granted), and a commit of its own epoch, without
// which it cannot know what its predecessors committed.

export function committedInOwnEpoch(node: LeaderFollowerNode): boolean {
  return node.commit > 0 && node.log[node.commit - 1]!.epoch === node.epoch;
}

/** Whether the leader may answer from its own state at `now` (its clock): a majority acknowledged a heartbeat sent within the lease it trusts. */
export function leaseHolds(policy: Policy, node: LeaderFollowerNode, now: number): boolean {
  if (node.role !== 'leader' || !committedInOwnEpoch(node)) return false;
  const sentAt = kthLargestOfPeers(node, majority(policy.nodes) - 1, (p) => p.sentAt, now);
  return sentAt >= 0 && now < sentAt + leaseFor(policy);
}

/** The k-th largest of `of` over the node's peers (itself left out); `own` when k is 0. */
export function kthLargestOfPeers(node: LeaderFollowerNode, k: number, of: (p: Peer) => number, own: number): number {
  if (k <= 0) return own;
  const values: number[] = [];
  for (let j = 0; j < node.peers.length; j++) if (j !== node.index) values.push(of(node.peers[j]!));
  values.sort((a, b) => b - a);
  return values[k - 1]!;
}
