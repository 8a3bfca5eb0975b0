import { InputError } from '../input-error.ts';
import type { History } from '../operation.ts';
import type { LevelWorkload } from '../workloads/workload.ts';
import { levelWorkloads, recogniseWorkload, workloadDefinition } from '../workloads/workload.ts';
import type { ConsistencyOptions } from './consistency-options.ts';

/** The weaker levels are defined on the workloads whose record says so; anything else is a usage error. */
export function supportedWorkload(history: History, level: string, options: ConsistencyOptions): LevelWorkload {
  const workload = options.workload ?? recogniseWorkload(history);
  // The levels' own searches read read/write/cas; a key-value store's get/put are not taught to them yet.
  if (workload === 'register' && history.operations.some((op) => op.f === 'get' || op.f === 'put')) {
    throw new InputError(
      `${level} is checked on registers of read, write and cas; this history's get/put are checked for linearizability only`,
    );
  }
  const levels = workloadDefinition(workload)?.levels;
  if (levels === 'all') return workload as LevelWorkload;
  if (typeof levels === 'object') throw new InputError(`${level} is not checked on ${workload} histories: ${levels.none}`);
  throw new InputError(`${level} is checked on ${levelWorkloads().join(' and ')} histories; this is neither`);
}
