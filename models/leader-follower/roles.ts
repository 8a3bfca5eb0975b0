import { abandonClientsOf } from './completion.ts';
import { produce } from './draft.ts';
import type { Effects } from './effects.ts';
import type { State } from './state.ts';

/**
 * Node `index` follows at `epoch` (its own or a newer one), believing `leader` leads. A leader that
 * steps down abandons the clients waiting on it; a newer epoch clears the vote it cast.
 */
export function becomeFollower(state: State, index: number, epoch: number, leader: number | null, fx: Effects): State {
  const was = state.nodes[index];
  return produce(was.role === 'leader' ? abandonClientsOf(state, index, 'stepped down', fx) : state, (draft) => {
    const node = draft.nodes[index];
    node.role = 'follower';
    node.epoch = epoch;
    if (epoch > was.epoch) node.votedFor = null;
    node.votes = 0;
    node.leader = leader;
    if (was.role !== 'follower') node.idle = 0;
  });
}
