import { presets } from '../models/index.ts';
import type { PresetScheduleOptions } from './arbitraries/preset-schedule.ts';
import { subjectScheduleArbitrary } from './arbitraries/preset-schedule.ts';
import type { FailingRun, Failure, Shard } from './campaign.ts';
import { memoisedJudge, scanRuns, shrink } from './campaign.ts';
import { propertyNamed } from './properties.ts';
import type { Property, PropertyName } from './property.ts';
import type { Subject } from './subject.ts';
import { presetSubject } from './subject.ts';

// What a campaign worker is asked to do, as plain data a worker thread (or another machine) receives:
// which subject to run and the slice of the work. Everything a worker does follows from the task, so a
// task run anywhere gives the same answer.

/**
 * A subject as data: a built-in preset by name, or a user's system by the module that exports it and
 * the export's name (the worker loads the module itself).
 */
export type SubjectRef =
  | { readonly kind: 'preset'; readonly preset: string }
  | { readonly kind: 'system'; readonly module: string; readonly exportName: string };

interface TaskBase {
  readonly subject: SubjectRef;
  readonly properties: readonly PropertyName[];
  readonly seed: number;
  readonly runs: number;
  readonly schedules?: PresetScheduleOptions;
}

/** Judge the runs r of shard `shard` with floor(r / shard.count) mod part.count = part.index. */
export interface ScanTask extends TaskBase {
  readonly kind: 'scan';
  readonly shard: Shard;
  readonly part: Shard;
  /** Failing runs kept per property, whatever their failure. */
  readonly keep: number;
}

/** What to shrink for one property: its starting runs, each failing like `original`. */
export interface ShrinkJob {
  readonly property: PropertyName;
  readonly starts: readonly number[];
  readonly original: Failure;
}

/**
 * Shrink each job's starting points. Jobs that start from the same runs travel together: shrinking
 * them walks the same schedules, which one memo then runs through the model once.
 */
export interface ShrinkTask extends TaskBase {
  readonly kind: 'shrink';
  readonly jobs: readonly ShrinkJob[];
  readonly shrinkBudget?: number;
}

export type CampaignTask = ScanTask | ShrinkTask;

/** A failing run as it travels back: its observation stays on the worker. */
type FoundRun = Omit<FailingRun, 'observation'>;

export interface ScanResult {
  readonly kind: 'scan';
  readonly failures: readonly (readonly [PropertyName, readonly FoundRun[]])[];
  readonly done: number;
}

/** Shrunk counterexamples as data, per job one per start: each schedule is drawn again by the seed and path. */
export interface ShrinkResult {
  readonly kind: 'shrink';
  readonly shrunk: readonly (readonly { readonly path: string; readonly schedule: unknown[] }[])[];
}

export type TaskResult = ScanResult | ShrinkResult;

/** The subject a preset reference names; a system reference needs its module loaded (src/campaign-worker.ts). */
export function presetRefSubject(ref: Extract<SubjectRef, { kind: 'preset' }>): Subject {
  const preset = presets[ref.preset];
  if (!preset) throw new Error(`no preset ${ref.preset}`);
  return presetSubject(preset);
}

function partJudges(shard: Shard, part: Shard): (run: number) => boolean {
  return (run) => run % shard.count === shard.index && Math.floor(run / shard.count) % part.count === part.index;
}

/** Runs `task` on `subject`, the subject its reference names. */
export function runTask(task: CampaignTask, subject: Subject, onRun?: () => void): TaskResult {
  const properties = task.properties.map(namedProperty);
  const arbitrary = subjectScheduleArbitrary(subject, task.schedules);
  if (task.kind === 'scan') {
    const scanned = scanRuns(subject, properties, arbitrary, {
      runs: task.runs,
      seed: task.seed,
      judges: partJudges(task.shard, task.part),
      keep: task.keep,
      sameAsFirst: false,
      onRun,
    });
    const failures = [...scanned.failures].map(([name, runs]) => [name, runs.map(({ run, verdict }) => ({ run, verdict }))] as const);
    return { kind: 'scan', failures, done: scanned.done };
  }
  const judge = memoisedJudge(subject, properties);
  const shrunk = task.jobs.map((job) =>
    job.starts.map((run) => {
      const counterexample = shrink(
        subject,
        namedProperty(job.property),
        judge,
        arbitrary,
        { runs: task.runs, seed: task.seed, shrinkBudget: task.shrinkBudget },
        { run },
        job.original,
      );
      return { path: counterexample.path, schedule: counterexample.schedule as unknown[] };
    }),
  );
  return { kind: 'shrink', shrunk };
}

function namedProperty(name: PropertyName): Property {
  const property = propertyNamed(name);
  if (!property) throw new Error(`no property ${name}`);
  return property;
}
