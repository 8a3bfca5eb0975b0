import type { OpF } from '../../models/index.ts';

// Which operations clients issue. A history mixes no workloads: writes and appends to one key would
// leave it neither a register nor a list, and no checker could judge it.

export type ScheduleWorkload = 'register' | 'list-append';

export const SCHEDULE_WORKLOADS: readonly ScheduleWorkload[] = ['register', 'list-append'];

export const WORKLOAD_OPERATIONS: Readonly<Record<ScheduleWorkload, readonly OpF[]>> = {
  register: ['write', 'read', 'cas'],
  'list-append': ['append', 'read'],
};
