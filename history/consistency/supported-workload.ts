import { InputError } from '../input-error.ts';
import type { History } from '../operation.ts';
import { recogniseWorkload } from '../workloads/workload.ts';
import type { ConsistencyOptions } from './consistency-options.ts';

/** The weaker levels are defined on register and list-append histories; anything else is a usage error. */
export function supportedWorkload(history: History, level: string, options: ConsistencyOptions): 'register' | 'list-append' {
  const workload = options.workload ?? recogniseWorkload(history);
  // The levels' own searches read read/write/cas; a key-value store's get/put are not taught to them yet.
  if (workload === 'register' && history.operations.some((op) => op.f === 'get' || op.f === 'put')) {
    throw new InputError(`${level} is checked on registers of read, write and cas; this history's get/put are checked for linearizability only`);
  }
  if (workload === 'register' || workload === 'list-append') return workload;
  if (workload === 'set') throw new InputError(`${level} is not checked on set histories: ${SET_LEVELS_REASON}`);
  throw new InputError(`${level} is checked on register and list-append histories; this is neither`);
}

/**
 * Why no level is checked on a set: the levels are defined over an order of writes that reads show, and a
 * set read is unordered (reads need not even be nested); Jepsen's set-full criteria, which leaderlog
 * applies, are weaker than linearizability (reads running at once are not compared).
 */
export const SET_LEVELS_REASON =
  "a set's reads show no order of its adds, which sequential consistency and the session guarantees are defined over, and Jepsen's set-full criteria " +
  '(what leaderlog checks a set by) are weaker than linearizability; --set-reads linearizable makes stale reads fail the set check';
