import { castDraft } from 'immer';
import { produce } from './draft.ts';
import type { Effects } from './effects.ts';
import { recordLeader, recordVote } from './ghost.ts';
import { NOOP, isUpToDate, lastEpoch } from './log.ts';
import type { VoteReply, VoteRequest } from './message.ts';
import { send } from './network.ts';
import { majority } from './policy.ts';
import { promiseHolds } from './reads.ts';
import { leaderAppend } from './replication.ts';
import { becomeFollower } from './roles.ts';
import type { State } from './state.ts';
import { freshPeers } from './state.ts';

// How a node comes to lead: by a majority vote in a new epoch (fenced), or by simply declaring itself
// leader (naive self-promotion, an operator's promotion without fencing). Role changes are immer
// recipes; what follows them (sending, appending) is the protocol's copy-on-write.

/**
 * Node `index` leads `epoch` from now on. Like Raft, it appends a no-op at once: committing an entry
 * of its own epoch is how it learns what its predecessors committed.
 */
export function becomeLeader(state: State, index: number, epoch: number, fx: Effects): State {
  const peers = freshPeers(state.policy.nodes, state.nodes[index].log.length);
  const leading = produce(state, (draft) => {
    const node = draft.nodes[index];
    node.role = 'leader';
    node.epoch = epoch;
    node.votes = 0;
    node.leader = index;
    node.idle = 0;
    node.peers = castDraft(peers);
    recordLeader(draft, index, epoch);
  });
  return leaderAppend(leading, index, NOOP, fx);
}

export function startElection(state: State, index: number, fx: Effects): State {
  const { log } = state.nodes[index];
  const epoch = state.nodes[index].epoch + 1;
  let next = produce(state, (draft) => {
    const candidate = draft.nodes[index];
    candidate.role = 'candidate';
    candidate.epoch = epoch;
    candidate.votedFor = index;
    candidate.votes = 1 << index;
    candidate.leader = null;
    candidate.idle = 0;
  });
  if (majority(state.policy.nodes) === 1) return becomeLeader(next, index, epoch, fx);
  for (let j = 0; j < state.policy.nodes; j++) {
    if (j === index) continue;
    next = send(next, { kind: 'vote', id: next.nextMessageId, from: index, to: j, epoch, lastIndex: log.length, lastEpoch: lastEpoch(log) }, fx);
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
  if (granted) {
    next = produce(next, (draft) => {
      const voter = draft.nodes[m.to];
      voter.votedFor = m.from;
      voter.idle = 0;
      recordVote(draft, m.to, m.epoch, m.from);
    });
  }
  return send(next, { kind: 'vote-reply', id: next.nextMessageId, from: m.to, to: m.from, epoch: node.epoch, granted }, fx);
}

export function onVoteReply(state: State, m: VoteReply, fx: Effects): State {
  const node = state.nodes[m.to];
  if (m.epoch > node.epoch) return becomeFollower(state, m.to, m.epoch, null, fx);
  if (node.role !== 'candidate' || m.epoch !== node.epoch || !m.granted) return state;
  const votes = node.votes | (1 << m.from);
  const next = produce(state, (draft) => {
    draft.nodes[m.to].votes = votes;
  });
  return countBits(votes) >= majority(state.policy.nodes) ? becomeLeader(next, m.to, node.epoch, fx) : next;
}

function countBits(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count++;
  return count;
}
