import type { ClientWorkload } from '../../history/workloads/workload.ts';
import type { OpF } from '../../models/index.ts';

// Which operations clients issue in each workload. A schedule keeps to one: writes and appends to one
// key would leave it neither a register nor a list, and no checker could judge it.

export const WORKLOAD_OPERATIONS: Readonly<Record<ClientWorkload, readonly OpF[]>> = {
  register: ['write', 'read', 'cas'],
  'list-append': ['append', 'read'],
};
