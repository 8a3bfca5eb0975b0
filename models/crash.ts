import { abandonClientsOf } from './completion.ts';
import type { Effects } from './effects.ts';
import { fault, noop } from './effects.ts';
import { becomeLeader } from './election.ts';
import type { State } from './state.ts';
import { freshPeers, withNode } from './state.ts';
import { emptyStore } from './store.ts';

// Crash and restart. What survives a crash: the epoch, the vote and the synced part of the log.
// Everything else (commit point, applied store, what a leader knew of its followers) is rebuilt.

export function crash(state: State, index: number, fx: Effects): State {
  const node = state.nodes[index];
  if (!node.up) return noop(fx, state, `${node.id} is already down`);
  fault(fx, state.time, 'crash', node.id, node.id);
  const next = abandonClientsOf(state, index, 'crashed', fx);
  const log = node.synced < node.log.length ? node.log.slice(0, node.synced) : node.log;
  return withNode(next, index, { ...node, up: false, log });
}

/**
 * A fenced node comes back as a follower and learns the leader from its next heartbeat. Without
 * fencing, a node that led before the crash resumes leading: nothing tells it otherwise.
 */
export function restart(state: State, index: number, fx: Effects): State {
  const node = state.nodes[index];
  if (node.up) return noop(fx, state, `${node.id} is already up`);
  fault(fx, state.time, 'restart', node.id, node.id);
  const resumes = node.role === 'leader' && state.policy.failover !== 'fenced';
  const next = withNode(state, index, {
    ...node,
    up: true,
    role: 'follower',
    votes: 0,
    leader: null,
    commit: 0,
    applied: 0,
    store: emptyStore(state.policy.keys),
    idle: 0,
    // Followers promise nothing while down; on restart they wait a full lease before helping elect anyone.
    heardAt: state.time,
    peers: freshPeers(state.policy.nodes, node.log.length),
  });
  return resumes ? becomeLeader(next, index, node.epoch, fx) : next;
}
