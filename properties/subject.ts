import type { ConsistencyLevel } from '../history/consistency/level.ts';
import type { Event } from '../history/event.ts';
import type { ClientWorkload } from '../history/workloads/workload.ts';
import { CLIENT_WORKLOADS } from '../history/workloads/workload.ts';
import type { Action, AnySystem, ExpectedAnomaly, Preset, Schedule, TraceStep } from '../models/index.ts';
import { isSystem, leaderFollower, runSystem, systemShape } from '../models/index.ts';
import type { ScheduleShape } from './arbitraries/shape.ts';
import { shapeOf } from './arbitraries/shape.ts';
import { promisedLevel } from './promises.ts';

// What the campaign tests: a built-in preset or a user's system, seen the same way: its name and story,
// what it promises and is known for, the cluster a schedule is drawn for, and one function that runs a
// schedule (with the finale) and reports what the properties look at. What a system does not provide
// (roles, invariants, a settled hook) is null here, and the properties that need it are not applicable.

/** Where a user's system came from: the module and a hash of its source, so replay can tell it changed. */
export interface SystemSource {
  readonly module: string;
  readonly hash: string;
  /** For a node binary (leaderlog test --node), what it takes to start it again; `module` is then empty. */
  readonly node?: NodeCommandSource;
}

/** A Maelstrom-protocol node binary run as a system: its command line, the cluster and the clock. */
export interface NodeCommandSource {
  readonly command: readonly string[];
  readonly nodes: number;
  readonly clients: number;
  readonly clock: 'ticks' | 'wall';
}

export interface Violation {
  readonly kind: string;
  readonly detail: string;
  readonly time: number;
  readonly nodes?: readonly string[];
}

export interface SubjectRun {
  /** The history: role annotations, then every step's events, the finale's included. */
  readonly events: readonly Event[];
  readonly trace: readonly TraceStep[];
  /** Null: the subject has no invariants. */
  readonly violations: readonly Violation[] | null;
  /** Whether the cluster settled after the finale; null: the subject cannot say. */
  readonly settled: boolean | null;
  readonly finale: readonly Action[];
}

export interface Subject {
  readonly name: string;
  readonly story: string;
  /** What a flawed design must be caught with; empty for a correct one. */
  readonly expected: readonly ExpectedAnomaly[];
  readonly promises: ConsistencyLevel;
  readonly shape: ScheduleShape;
  readonly workloads: readonly ClientWorkload[];
  /** Whether nodes say what role and epoch they believe they have (annotations, single-leader). */
  readonly roles: boolean;
  /** The built-in preset, when it is one. */
  readonly preset?: Preset;
  /** The user's system, when it is one, and where it came from when known. */
  readonly system?: AnySystem;
  readonly source?: SystemSource;
  readonly run: (schedule: Schedule) => SubjectRun;
  /**
   * Set for a subject whose runs do not reproduce (processes on the wall clock): a schedule counts as
   * failing when it fails in at least one of this many runs, and nothing is checked for determinism.
   */
  readonly reruns?: number;
}

/** A preset, a system, or a subject already. */
export type Target = Preset | AnySystem | Subject;

export function subjectOf(target: Target, source?: SystemSource): Subject {
  if ('run' in target && 'shape' in target) return target as Subject;
  if (isSystem(target)) return systemSubject(target, source);
  return presetSubject(target as Preset);
}

export function presetSubject(preset: Preset): Subject {
  return {
    name: preset.name,
    story: preset.story,
    expected: preset.expected,
    promises: promisedLevel(preset),
    shape: shapeOf(preset),
    workloads: CLIENT_WORKLOADS,
    roles: true,
    preset,
    run: runner(leaderFollower(preset)),
  };
}

export function systemSubject(system: AnySystem, source?: SystemSource): Subject {
  return {
    name: system.name,
    story: system.story ?? '',
    expected: system.knownFor ?? [],
    promises: system.promises ?? 'linearizable',
    shape: systemShape(system),
    workloads: system.workloads ?? CLIENT_WORKLOADS,
    roles: typeof system.role === 'function',
    system,
    ...(source && { source }),
    run: runner(system),
  };
}

/** Every subject runs on the one world runner, its finale included. */
function runner(system: AnySystem): (schedule: Schedule) => SubjectRun {
  return (schedule) => {
    const run = runSystem(system, schedule, { finale: true });
    return { events: run.events, trace: run.trace, violations: run.violations, settled: run.settled, finale: run.finale };
  };
}
