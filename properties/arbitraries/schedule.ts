import fc from 'fast-check';
import type { ClientWorkload } from '../../history/workloads/workload.ts';
import type { Action, Schedule } from '../../models/index.ts';
import { clientOpArbitrary, retryArbitrary, timeoutArbitrary } from './client-op.ts';
import {
  ackedWriteArbitrary,
  crashAfterAppendArbitrary,
  deposeArbitrary,
  electArbitrary,
  leaderChainArbitrary,
  overtakeArbitrary,
  reelectArbitrary,
  replicateToOneArbitrary,
  splitVoteArbitrary,
} from './deep-units.ts';
import { clockArbitrary, demoteArbitrary, promoteArbitrary } from './failover.ts';
import { crashWindowArbitrary, cutWindowArbitrary, partitionWindowArbitrary, pauseWindowArbitrary } from './fault-window.ts';
import { deliverArbitrary, dropArbitrary, duplicateArbitrary } from './message-choice.ts';
import { SWARM_PROFILES } from './profiles.ts';
import type { ScheduleUnit } from './schedule-unit.ts';
import { flattenUnits, simplifyUnit, splitUnit } from './schedule-unit.ts';
import type { ScheduleShape } from './shape.ts';
import { tickArbitrary, ticksArbitrary } from './tick.ts';
import { unitListArbitrary } from './unit-list.ts';
import type { ScheduleWeights } from './weights.ts';
import { DEFAULT_WEIGHTS, validateWeights } from './weights.ts';

export interface ScheduleOptions {
  readonly workload?: ClientWorkload;
  /** Overrides of DEFAULT_WEIGHTS (with `swarm`, of every profile's weights). */
  readonly weights?: Partial<ScheduleWeights>;
  /**
   * Each schedule draws a swarm profile of weights first (profiles.ts), and the deep units with it
   * (deep-units.ts). Default on; off, every schedule mixes DEFAULT_WEIGHTS' single actions and windows.
   */
  readonly swarm?: boolean;
  /**
   * The most units (a window or a burst of ticks counts once) in a schedule. Default 40 with swarm
   * (a deep unit is a whole story of tens of actions), 100 without.
   */
  readonly maxUnits?: number;
  /** The percentage of client operations sent to a node of the schedule's choosing. Default 50. */
  readonly directed?: number;
}

const DEFAULT_MAX_UNITS = 100;
const DEFAULT_MAX_SWARM_UNITS = 40;
const SPLITTING = { split: splitUnit, simplify: simplifyUnit };

/** Each kind of unit, drawn as its weight says. */
export function unitArbitrary(shape: ScheduleShape, options: ScheduleOptions = {}): fc.Arbitrary<ScheduleUnit> {
  const weights = { ...DEFAULT_WEIGHTS, ...options.weights };
  validateWeights(weights);
  const workload = options.workload ?? 'register';
  const step = (arbitrary: fc.Arbitrary<Action>) => arbitrary.map((action): ScheduleUnit => ({ steps: [action] }));
  const kinds: Record<keyof ScheduleWeights, fc.Arbitrary<ScheduleUnit>> = {
    invoke: step(clientOpArbitrary(shape, { workload: options.workload, directed: options.directed })),
    timeout: step(timeoutArbitrary(shape)),
    retry: step(retryArbitrary(shape)),
    deliver: step(deliverArbitrary()),
    drop: step(dropArbitrary()),
    duplicate: step(duplicateArbitrary()),
    tick: step(tickArbitrary(shape)),
    ticks: ticksArbitrary(shape),
    crash: crashWindowArbitrary(shape),
    pause: pauseWindowArbitrary(shape),
    partition: partitionWindowArbitrary(shape),
    cut: cutWindowArbitrary(shape),
    promote: step(promoteArbitrary(shape)),
    demote: step(demoteArbitrary(shape)),
    clock: step(clockArbitrary(shape)),
    elect: electArbitrary(shape),
    ackedWrite: ackedWriteArbitrary(shape, workload),
    replicateToOne: replicateToOneArbitrary(shape, workload),
    crashAfterAppend: crashAfterAppendArbitrary(shape, workload),
    leaderChain: leaderChainArbitrary(shape, workload),
    depose: deposeArbitrary(shape, workload),
    splitVote: splitVoteArbitrary(shape, workload),
    reelect: reelectArbitrary(shape, workload),
    overtake: overtakeArbitrary(shape, workload),
  };
  const weighted = (Object.keys(kinds) as (keyof ScheduleWeights)[])
    .filter((kind) => weights[kind] > 0 && (kind !== 'clock' || (shape.drift ?? 0) > 0))
    .map((kind) => ({ arbitrary: kinds[kind], weight: weights[kind] }));
  return fc.oneof(...weighted);
}

/** A schedule as units (what shrinking works on). */
export function scheduleUnitsArbitrary(shape: ScheduleShape, options: ScheduleOptions = {}): fc.Arbitrary<ScheduleUnit[]> {
  // Only swarm schedules split units while shrinking: the plain mixture has no deep unit to split.
  if (options.swarm === false) return unitListArbitrary(unitArbitrary(shape, options), options.maxUnits ?? DEFAULT_MAX_UNITS);
  const maxLength = options.maxUnits ?? DEFAULT_MAX_SWARM_UNITS;
  const profiles = SWARM_PROFILES.map((profile) => ({
    weight: profile.weight,
    item: unitArbitrary(shape, { ...options, weights: { ...profile.weights, ...options.weights } }),
  }));
  return unitListArbitrary(profiles, maxLength, SPLITTING);
}

/** A schedule of client operations, faults and scheduling choices for a cluster of `shape`. */
export function scheduleArbitrary(shape: ScheduleShape, options: ScheduleOptions = {}): fc.Arbitrary<Schedule> {
  return scheduleUnitsArbitrary(shape, options).map(flattenUnits);
}
