import { InputError } from '../input-error.ts';
import type { History } from '../operation.ts';
import { recogniseWorkload } from '../workloads/workload.ts';
import type { ConsistencyOptions } from './consistency-options.ts';

/** The weaker levels are defined on register and list-append histories; anything else is a usage error. */
export function supportedWorkload(history: History, level: string, options: ConsistencyOptions): 'register' | 'list-append' {
  const workload = options.workload ?? recogniseWorkload(history);
  if (workload === 'register' || workload === 'list-append') return workload;
  const what = workload === 'other' ? 'neither' : `a ${workload} history`;
  throw new InputError(`${level} is checked on register and list-append histories; this is ${what}`);
}
