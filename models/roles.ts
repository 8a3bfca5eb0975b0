import { abandonClientsOf } from './completion.ts';
import type { Effects } from './effects.ts';
import type { State } from './state.ts';
import { withNode } from './state.ts';

/**
 * Node `index` follows at `epoch` (its own or a newer one), believing `leader` leads. A leader that
 * steps down abandons the clients waiting on it; a newer epoch clears the vote it cast.
 */
export function becomeFollower(state: State, index: number, epoch: number, leader: number | null, fx: Effects): State {
  const node = state.nodes[index];
  const next = node.role === 'leader' ? abandonClientsOf(state, index, 'stepped down', fx) : state;
  return withNode(next, index, {
    ...node,
    role: 'follower',
    epoch,
    votedFor: epoch > node.epoch ? null : node.votedFor,
    votes: 0,
    leader,
    idle: node.role === 'follower' ? node.idle : 0,
  });
}
