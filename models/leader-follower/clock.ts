import type { Effects } from './effects.ts';
import { noop } from './effects.ts';
import { becomeLeader, startElection } from './election.ts';
import { electionTimeoutOf } from './policy.ts';
import { promiseHolds } from './reads.ts';
import { broadcast } from './replication.ts';
import type { State } from './state.ts';
import { withNode } from './state.ts';

/**
 * One tick of a node's clock. Every node flushes its log to disk. A leader sends each follower a
 * heartbeat (with whatever that follower lacks). A follower or candidate counts towards its election
 * timeout; when it runs out, the failover policy decides: a fenced node stands for election, a naive
 * one promotes itself, and otherwise the node waits for an operator.
 */
export function tick(state: State, index: number, fx: Effects): State {
  const node = state.nodes[index];
  if (!node.up) return noop(fx, state, `${node.id} is down`);
  const flushed = node.synced === node.log.length ? node : { ...node, synced: node.log.length };
  const next = flushed === node ? state : withNode(state, index, flushed);
  if (node.role === 'leader') return broadcast(next, index, fx);
  const timeout = electionTimeoutOf(state.policy, index);
  const idle = Math.min(node.idle + 1, timeout);
  if (idle < timeout) return withNode(next, index, { ...flushed, idle });
  if (state.policy.failover === 'fenced' && !promiseHolds(next, index)) return startElection(next, index, fx);
  if (state.policy.failover === 'naive') return becomeLeader(next, index, node.epoch + 1, fx);
  return withNode(next, index, { ...flushed, idle });
}
