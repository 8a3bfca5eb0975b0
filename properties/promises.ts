import type { ConsistencyLevel } from '../history/consistency/level.ts';
import type { Policy } from '../models/index.ts';

/**
 * The consistency a design promises its clients, which the `linearizable` property holds it to.
 * A design that answers reads at the leader promises linearizability, flawed ones included: that they
 * break the promise is their story. Offloaded reads promise less, by design: a follower answers from
 * whatever prefix of the leader's log it holds, so only the order of writes, which all go through the
 * leader's log, is promised (monotonic writes). A stale read there is the design working as
 * documented, and the `no-stale-read` property is the one that names it. (Monotonic reads are not
 * promised either: a client may read at one follower, then at another further behind.)
 */
export function promisedLevel(policy: Policy): ConsistencyLevel {
  return policy.reads === 'follower' ? 'monotonic-writes' : 'linearizable';
}
