import { castDraft } from 'immer';
import { abandonClientsOf } from './completion.ts';
import { produce } from './draft.ts';
import type { Effects } from './effects.ts';
import { fault, noop } from './effects.ts';
import { becomeLeader } from './election.ts';
import type { State } from './state.ts';
import { freshPeers } from './state.ts';
import { emptyStore } from './store.ts';

// Crash and restart. What survives a crash: the epoch, the vote and the synced part of the log.
// Everything else (commit point, applied store, what a leader knew of its followers) is rebuilt.

export function crash(state: State, index: number, fx: Effects): State {
  const node = state.nodes[index];
  if (!node.up) return noop(fx, state, `${node.id} is already down`);
  fault(fx, state.time, 'crash', node.id, node.id);
  return produce(abandonClientsOf(state, index, 'crashed', fx), (draft) => {
    const down = draft.nodes[index];
    down.up = false;
    if (node.synced < node.log.length) down.log = castDraft(node.log.slice(0, node.synced));
  });
}

/**
 * A fenced node comes back as a follower and learns the leader from its next heartbeat. Without
 * fencing, a node that led before the crash resumes leading: nothing tells it otherwise.
 */
export function restart(state: State, index: number, fx: Effects): State {
  const node = state.nodes[index];
  if (node.up) return noop(fx, state, `${node.id} is already up`);
  fault(fx, state.time, 'restart', node.id, node.id);
  const { policy } = state;
  const next = produce(state, (draft) => {
    const back = draft.nodes[index];
    back.up = true;
    back.role = 'follower';
    back.votes = 0;
    if (policy.votes === 'forgotten') back.votedFor = null;
    back.leader = null;
    back.commit = 0;
    back.applied = 0;
    back.store = castDraft(emptyStore(policy.keys));
    back.idle = 0;
    // Followers promise nothing while down; on restart they wait a full lease before helping elect anyone.
    back.heardAt = state.time;
    back.peers = castDraft(freshPeers(policy.nodes, node.log.length));
  });
  return node.role === 'leader' && policy.failover !== 'fenced' ? becomeLeader(next, index, node.epoch, fx) : next;
}
