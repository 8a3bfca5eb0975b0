import { awaits, complete } from './completion.ts';
import type { Effects } from './effects.ts';
import { recordAck, recordCommit, recordCommitDrop } from './ghost.ts';
import type { Command, Merged } from './log.ts';
import { appendEntry, epochAt, mergeEntries, resumeHint } from './log.ts';
import type { AppendReply, AppendRequest } from './message.ts';
import { appendInFlight, send } from './network.ts';
import type { Policy } from './policy.ts';
import { followerAcksNeeded } from './policy.ts';
import { answerReads } from './reads.ts';
import { becomeFollower } from './roles.ts';
import type { Node, State } from './state.ts';
import { withNode, withPeer } from './state.ts';
import { applyCommand, replay } from './store.ts';

// Log replication, leader and follower side: the leader appends, sends each follower what it lacks
// from that follower's next index on (one append in flight per follower, so a lagging or returning
// follower is backfilled reply by reply), counts copies to commit under the replication policy, and
// applies. A follower keeps what agrees with the leader and truncates a divergent suffix.

export function leaderAppend(state: State, index: number, command: Command, fx: Effects): State {
  const node = state.nodes[index];
  const log = appendEntry(node.log, node.epoch, state.nextEntryId, command);
  const synced = state.policy.restart === 'durable' ? log.length : node.synced;
  const next = withNode({ ...state, nextEntryId: state.nextEntryId + 1 }, index, { ...node, log, synced });
  return advanceCommit(broadcast(next, index, fx), index, fx);
}

export function broadcast(state: State, leader: number, fx: Effects): State {
  let next = state;
  for (let j = 0; j < state.policy.nodes; j++) if (j !== leader) next = sendAppend(next, leader, j, fx);
  return next;
}

export function sendAppend(state: State, leader: number, follower: number, fx: Effects): State {
  const node = state.nodes[leader];
  if (appendInFlight(state, leader, follower, node.epoch)) return state;
  const prevIndex = Math.min(node.peers[follower].next - 1, node.log.length);
  return send(
    state,
    {
      kind: 'append',
      id: state.nextMessageId,
      from: leader,
      to: follower,
      epoch: node.epoch,
      prevIndex,
      prevEpoch: epochAt(node.log, prevIndex),
      entries: node.log.slice(prevIndex),
      commit: node.commit,
      round: node.round,
      sentAt: state.time,
    },
    fx,
  );
}

/**
 * Commits the newest entry of the leader's own epoch that enough followers hold (an older epoch's
 * entries commit with it, never by counting: Raft's rule, which the no-op of a new leader serves).
 */
export function advanceCommit(state: State, leader: number, fx: Effects): State {
  const node = state.nodes[leader];
  if (node.role !== 'leader') return state;
  const needed = followerAcksNeeded(state.policy);
  let target = node.commit;
  for (let index = node.log.length; index > node.commit && node.log[index - 1].epoch === node.epoch; index--) {
    if (followersHolding(node, leader, index) >= needed) {
      target = index;
      break;
    }
  }
  if (target === node.commit) return state;
  const recorded = recordCommit(state, leader, target);
  const applied = apply(withNode(recorded, leader, { ...node, commit: target }), leader, fx);
  return answerReads(applied, leader, fx);
}

function followersHolding(node: Node, self: number, index: number): number {
  let count = 0;
  for (let j = 0; j < node.peers.length; j++) if (j !== self && node.peers[j].match >= index) count++;
  return count;
}

/** Applies committed entries to the node's store; a leader answers the clients waiting on it. */
export function apply(state: State, index: number, fx: Effects): State {
  const node = state.nodes[index];
  if (node.applied >= node.commit) return state;
  let store = node.store;
  let next = state;
  for (let i = node.applied + 1; i <= node.commit; i++) {
    const command = node.log[i - 1].command;
    const result = applyCommand(store, command);
    store = result.store;
    if (node.role === 'leader' && command.kind === 'client' && awaits(next, command.client, index, command.seq)) {
      const outcome = result.done
        ? ({ type: 'ok', epoch: node.epoch } as const)
        : ({ type: 'fail', epoch: node.epoch, error: 'cas mismatch' } as const);
      next = complete(next, command.client, outcome, fx);
      if (result.done) next = recordAck(next, index, i);
    }
  }
  return withNode(next, index, { ...next.nodes[index], store, applied: node.commit });
}

export function onAppend(state: State, m: AppendRequest, fx: Effects): State {
  const receiver = state.nodes[m.to];
  let next = state;
  if (state.policy.failover === 'fenced') {
    if (m.epoch < receiver.epoch) return reply(next, m, false, receiver.log.length, fx);
    if (m.epoch > receiver.epoch || receiver.role !== 'follower') next = becomeFollower(next, m.to, m.epoch, m.from, fx);
  } else {
    // Without fencing a leader never doubts itself: it replicates from no one.
    if (receiver.role === 'leader') return next;
    if (m.epoch !== receiver.epoch) next = becomeFollower(next, m.to, m.epoch, m.from, fx);
  }
  let node: Node = { ...next.nodes[m.to], leader: m.from, idle: 0, heardAt: next.time };
  if (m.prevIndex > node.log.length || epochAt(node.log, m.prevIndex) !== m.prevEpoch) {
    return reply(withNode(next, m.to, node), m, false, resumeHint(node.log, m.prevIndex), fx);
  }
  const lastNew = m.prevIndex + m.entries.length;
  const committedBefore = node.commit;
  node = adoptLog(state.policy, node, mergeEntries(node.log, m.prevIndex, m.entries));
  node = { ...node, commit: Math.max(node.commit, Math.min(m.commit, lastNew)) };
  if (node.commit < committedBefore) next = recordCommitDrop(next, m.to, committedBefore, node.commit);
  next = apply(withNode(next, m.to, node), m.to, fx);
  return reply(next, m, true, lastNew, fx);
}

/**
 * Takes the merged log. Truncating below the commit point happens only in flawed designs; the node
 * then forgets those commits and rebuilds its store from what is left.
 */
function adoptLog(policy: Policy, node: Node, merged: Merged): Node {
  const { log, cutAt } = merged;
  const synced = policy.restart === 'durable' ? log.length : Math.min(node.synced, cutAt - 1);
  if (cutAt > node.commit) return { ...node, log, synced };
  const commit = cutAt - 1;
  return { ...node, log, synced, commit, applied: commit, store: replay(policy.keys, log, commit) };
}

function reply(state: State, m: AppendRequest, success: boolean, match: number, fx: Effects): State {
  return send(
    state,
    { kind: 'append-reply', id: state.nextMessageId, from: m.to, to: m.from, epoch: state.nodes[m.to].epoch, success, match, round: m.round, sentAt: m.sentAt },
    fx,
  );
}

export function onAppendReply(state: State, m: AppendReply, fx: Effects): State {
  const node = state.nodes[m.to];
  if (state.policy.failover === 'fenced' && m.epoch > node.epoch) return becomeFollower(state, m.to, m.epoch, null, fx);
  // A reply to an earlier term of office says nothing about this one.
  if (node.role !== 'leader' || m.epoch !== node.epoch) return state;
  const peer = node.peers[m.from];
  const round = Math.max(peer.round, m.round);
  const sentAt = Math.max(peer.sentAt, m.sentAt);
  const updated = m.success
    ? { next: Math.max(peer.next, m.match + 1), match: Math.max(peer.match, m.match), round, sentAt }
    : { next: Math.max(1, Math.min(peer.next - 1, m.match + 1)), match: peer.match, round, sentAt };
  let next = withNode(state, m.to, withPeer(node, m.from, updated));
  if (m.success) next = advanceCommit(next, m.to, fx);
  next = answerReads(next, m.to, fx);
  const leader = next.nodes[m.to];
  if (leader.role === 'leader' && (updated.next <= leader.log.length || updated.round < leader.round)) {
    next = sendAppend(next, m.to, m.from, fx);
  }
  return next;
}
