import type { Effects } from './effects.ts';
import { fault, noop } from './effects.ts';
import { becomeLeader, startElection } from './election.ts';
import { promiseHolds } from './reads.ts';
import { becomeFollower } from './roles.ts';
import type { State } from './state.ts';

// Operator failover. Under fencing a promotion is a request to stand for election at once (the old
// leader is deposed by the vote, not by the operator); otherwise the operator's word is the only
// authority, and nothing stops a leader the operator forgot about.

export function promote(state: State, index: number, fx: Effects): State {
  const node = state.nodes[index];
  if (state.policy.failover === 'none') return noop(fx, state, 'this design has no failover');
  if (!node.up) return noop(fx, state, `${node.id} is down`);
  if (node.role === 'leader') return noop(fx, state, `${node.id} already leads`);
  if (promiseHolds(state, index)) return noop(fx, state, `${node.id} promised its leader a lease`);
  fault(fx, state.time, 'promote', node.id, node.id);
  return state.policy.failover === 'fenced' ? startElection(state, index, fx) : becomeLeader(state, index, node.epoch + 1, fx);
}

export function demote(state: State, index: number, fx: Effects): State {
  const node = state.nodes[index];
  if (state.policy.failover === 'none') return noop(fx, state, 'this design has no failover');
  if (!node.up || node.role !== 'leader') return noop(fx, state, `${node.id} does not lead`);
  fault(fx, state.time, 'demote', node.id, node.id);
  return becomeFollower(state, index, node.epoch, null, fx);
}
