import type { Effects } from './effects.ts';
import { recordLeader } from './ghost.ts';
import { NOOP, isUpToDate, lastEpoch } from './log.ts';
import type { VoteReply, VoteRequest } from './message.ts';
import { send } from './network.ts';
import { majority } from './policy.ts';
import { promiseHolds } from './reads.ts';
import { leaderAppend } from './replication.ts';
import { becomeFollower } from './roles.ts';
import type { State } from './state.ts';
import { freshPeers, withNode } from './state.ts';

// How a node comes to lead: by a majority vote in a new epoch (fenced), or by simply declaring itself
// leader (naive self-promotion, an operator's promotion without fencing).

/**
 * Node `index` leads `epoch` from now on. Like Raft, it appends a no-op at once: committing an entry
 * of its own epoch is how it learns what its predecessors committed.
 */
export function becomeLeader(state: State, index: number, epoch: number, fx: Effects): State {
  const node = state.nodes[index];
  const next = withNode(state, index, {
    ...node,
    role: 'leader',
    epoch,
    votes: 0,
    leader: index,
    idle: 0,
    peers: freshPeers(state.policy.nodes, node.log.length),
  });
  return leaderAppend(recordLeader(next, index, epoch), index, NOOP, fx);
}

export function startElection(state: State, index: number, fx: Effects): State {
  const node = state.nodes[index];
  const epoch = node.epoch + 1;
  let next = withNode(state, index, { ...node, role: 'candidate', epoch, votedFor: index, votes: 1 << index, leader: null, idle: 0 });
  if (majority(state.policy.nodes) === 1) return becomeLeader(next, index, epoch, fx);
  for (let j = 0; j < state.policy.nodes; j++) {
    if (j === index) continue;
    next = send(next, { kind: 'vote', id: next.nextMessageId, from: index, to: j, epoch, lastIndex: node.log.length, lastEpoch: lastEpoch(node.log) }, fx);
  }
  return next;
}

export function onVote(state: State, m: VoteRequest, fx: Effects): State {
  // Only fenced designs hold elections; and a node under a lease promise ignores candidates entirely.
  if (state.policy.failover !== 'fenced' || promiseHolds(state, m.to)) return state;
  let next = m.epoch > state.nodes[m.to].epoch ? becomeFollower(state, m.to, m.epoch, null, fx) : state;
  const node = next.nodes[m.to];
  const granted =
    m.epoch === node.epoch &&
    (node.votedFor === null || node.votedFor === m.from) &&
    isUpToDate(m.lastIndex, m.lastEpoch, node.log);
  if (granted) next = withNode(next, m.to, { ...node, votedFor: m.from, idle: 0 });
  return send(next, { kind: 'vote-reply', id: next.nextMessageId, from: m.to, to: m.from, epoch: node.epoch, granted }, fx);
}

export function onVoteReply(state: State, m: VoteReply, fx: Effects): State {
  const node = state.nodes[m.to];
  if (m.epoch > node.epoch) return becomeFollower(state, m.to, m.epoch, null, fx);
  if (node.role !== 'candidate' || m.epoch !== node.epoch || !m.granted) return state;
  const votes = node.votes | (1 << m.from);
  const next = withNode(state, m.to, { ...node, votes });
  return countBits(votes) >= majority(state.policy.nodes) ? becomeLeader(next, m.to, node.epoch, fx) : next;
}

function countBits(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count++;
  return count;
}
