import fc from 'fast-check';
import type { ClientWorkload } from '../../history/workloads/workload.ts';
import { CLIENT_WORKLOADS } from '../../history/workloads/workload.ts';
import type { Policy, Schedule } from '../../models/index.ts';
import type { ScheduleOptions } from './schedule.ts';
import { scheduleArbitrary } from './schedule.ts';
import type { ScheduleShape } from './shape.ts';
import { shapeOf } from './shape.ts';

export interface PresetScheduleOptions extends Omit<ScheduleOptions, 'workload'> {
  /** The workloads drawn from, evenly; each schedule keeps to one. Default: register and list-append. */
  readonly workloads?: readonly ClientWorkload[];
}

/** What the campaign draws for a design: schedules shaped to its cluster, one workload each. */
export function presetScheduleArbitrary(policy: Policy, options: PresetScheduleOptions = {}): fc.Arbitrary<Schedule> {
  return shapedScheduleArbitrary(shapeOf(policy), CLIENT_WORKLOADS, options);
}

/** The same for any subject: its shape, and only the workloads it serves. */
export function subjectScheduleArbitrary(
  subject: { readonly shape: ScheduleShape; readonly workloads: readonly ClientWorkload[] },
  options: PresetScheduleOptions = {},
): fc.Arbitrary<Schedule> {
  return shapedScheduleArbitrary(subject.shape, subject.workloads, options);
}

function shapedScheduleArbitrary(
  shape: ScheduleShape,
  served: readonly ClientWorkload[],
  options: PresetScheduleOptions,
): fc.Arbitrary<Schedule> {
  const { workloads = served, ...rest } = options;
  if (workloads.length === 0) throw new RangeError('at least one workload is needed');
  const schedules = fc.oneof(...workloads.map((workload) => scheduleArbitrary(shape, { ...rest, workload })));
  const sizes = shape.sizes ?? [];
  if (sizes.length <= 1) return schedules;
  // A cluster size per run, shrinking towards the subject's own; the schedule is drawn for the largest
  // and taken modulo the size chosen, as every action's numbers are.
  return fc
    .tuple(fc.constantFrom(...sizes), schedules)
    .map(([nodes, schedule]): Schedule => (nodes === sizes[0] ? schedule : [{ kind: 'cluster', nodes }, ...schedule]));
}
