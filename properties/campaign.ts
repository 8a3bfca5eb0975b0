import fc from 'fast-check';
import type { Schedule } from '../models/index.ts';
import { SystemError } from '../models/index.ts';
import type { PresetScheduleOptions } from './arbitraries/preset-schedule.ts';
import { subjectScheduleArbitrary } from './arbitraries/preset-schedule.ts';
import type { Observation } from './observation.ts';
import { observe } from './observation.ts';
import { PROPERTIES } from './properties.ts';
import type { Property, PropertyName, PropertyVerdict } from './property.ts';
import { judge as judgeProperty } from './property.ts';
import type { Subject, Target } from './subject.ts';
import { subjectOf } from './subject.ts';

// The campaign: fast-check draws schedules for a subject (a preset or a user's system), every property
// judges each run, and each property's first few failures are replayed by fast-check's path and
// shrunk; the shortest is kept. Everything is data and everything follows from the seed: the same
// options give the same outcome. A user's system must be deterministic for that: the first run this
// shard judges, and every failing run before it is shrunk, is run twice and the histories compared.

/** This process does run r when r modulo `count` is `index`: n shards together do exactly the runs of one. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export interface CampaignOptions {
  /** Runs over all shards together. */
  readonly runs: number;
  readonly seed: number;
  readonly shard?: Shard;
  readonly properties?: readonly Property[];
  readonly schedules?: PresetScheduleOptions;
  /** Property checks spent shrinking one counterexample before settling for the smallest found yet. */
  readonly shrinkBudget?: number;
  /**
   * How many failing runs per property are shrunk; the shortest result is kept. Shrinking is a local
   * search, and a few starting points land much nearer the shortest story. Default 5.
   */
  readonly starts?: number;
  /** Called after every run this shard does, with the properties it was the first to fail (starting points still wanted): progress. */
  readonly onRun?: (failed: readonly PropertyName[]) => void;
  /** Called before a property's counterexample is shrunk (once per starting point): progress. */
  readonly onShrink?: (property: PropertyName) => void;
}

export type Failure = Exclude<PropertyVerdict, { status: 'held' } | { status: 'not-applicable' }>;

export interface Counterexample {
  readonly subject: Subject;
  readonly property: PropertyName;
  readonly seed: number;
  /** fast-check's path to the shrunk schedule: `fc.check(property, { seed, path })` draws it again. */
  readonly path: string;
  /** The run (counted from 0 over all shards) this counterexample was shrunk from: the path's first part. */
  readonly run: number;
  readonly schedule: Schedule;
  /** The property's verdict on the shrunk schedule. */
  readonly verdict: Failure;
  readonly observation: Observation;
  /** For a subject whose runs do not reproduce: in how many of its `reruns` runs the schedule failed so again. */
  readonly reproduced?: { readonly failed: number; readonly of: number };
}

export interface PropertyOutcome {
  readonly property: PropertyName;
  readonly status: PropertyVerdict['status'];
  /** Runs this shard did for the property: all of them when it held, up to and including the first failure otherwise. */
  readonly runs: number;
  readonly counterexample?: Counterexample;
  /** Why the property could not judge this subject (status not-applicable). */
  readonly reason?: string;
}

export interface CampaignOutcome {
  readonly subject: Subject;
  readonly seed: number;
  /** Runs this shard did. */
  readonly runs: number;
  readonly properties: readonly PropertyOutcome[];
}

const DEFAULT_SHRINK_BUDGET = 2000;
export const DEFAULT_STARTS = 5;

export function runCampaign(target: Target, options: CampaignOptions): CampaignOutcome {
  const subject = subjectOf(target);
  const { properties } = applicable(subject, options.properties ?? PROPERTIES);
  const starts = options.starts ?? DEFAULT_STARTS;
  const shard = options.shard ?? { index: 0, count: 1 };
  const arbitrary = subjectScheduleArbitrary(subject, options.schedules);
  const scanned = scanRuns(subject, properties, arbitrary, {
    ...options,
    judges: (run) => run % shard.count === shard.index,
    keep: starts,
  });
  const judge = memoisedJudge(subject, properties);
  return outcomeOf(subject, options, scanned.done, chooseStarts(scanned.failures, starts), (property, failing, original) =>
    shrink(subject, property, judge, arbitrary, options, failing, original),
  );
}

/** The chosen properties a subject can serve, and why each of the others cannot. */
export function applicable(
  subject: Subject,
  chosen: readonly Property[],
): { properties: Property[]; inapplicable: Map<PropertyName, string> } {
  const inapplicable = new Map(
    chosen.flatMap((p) => {
      const reason = p.notApplicable?.(subject) ?? null;
      return reason === null ? [] : [[p.name, reason] as const];
    }),
  );
  return { properties: chosen.filter((p) => !inapplicable.has(p.name)), inapplicable };
}

/** Shrinks one starting point of a property, failing like `original`. */
export type Shrinker = (property: Property, failing: FailingRun, original: Failure) => Counterexample;

/** The outcome from the failing runs chosen per property: each one's starting points shrunk, the shortest kept. */
export function outcomeOf(
  subject: Subject,
  options: Pick<CampaignOptions, 'seed' | 'onShrink' | 'shard' | 'properties'>,
  done: number,
  failures: ReadonlyMap<PropertyName, readonly FailingRun[]>,
  shrinkOne: Shrinker,
): CampaignOutcome {
  const count = options.shard?.count ?? 1;
  const { inapplicable } = applicable(subject, options.properties ?? PROPERTIES);
  const outcomes = (options.properties ?? PROPERTIES).map((property): PropertyOutcome => {
    const reason = inapplicable.get(property.name);
    if (reason !== undefined) return { property: property.name, status: 'not-applicable', runs: 0, reason };
    const found = failures.get(property.name);
    if (!found || found.length === 0) return { property: property.name, status: 'held', runs: done };
    const shrunk = found.map((failing) => {
      options.onShrink?.(property.name);
      return shrinkOne(property, failing, found[0].verdict);
    });
    const counterexample = shrunk.reduce((best, next) => (next.schedule.length < best.schedule.length ? next : best));
    // The runs this shard had done up to and including the first failure: its runs are r = k * count + index.
    return { property: property.name, status: counterexample.verdict.status, runs: Math.floor(found[0].run / count) + 1, counterexample };
  });
  return { subject, seed: options.seed, runs: done, properties: outcomes };
}

export interface FailingRun {
  /** Counted from 0 over all shards. */
  readonly run: number;
  readonly verdict: Failure;
  /** What the run showed; kept on the thread that ran it (a subject that does not reproduce is reported so). */
  readonly observation?: Observation;
}

export interface ScanOptions extends Pick<CampaignOptions, 'runs' | 'seed' | 'onRun'> {
  /** Whether this scan judges run r (every run is drawn, so run numbers and paths agree everywhere). */
  readonly judges: (run: number) => boolean;
  /** Failing runs kept per property, after which the property is no longer judged. */
  readonly keep: number;
  /**
   * Keep only failures that fail as the property's first did (default). A scan that is one part of
   * several keeps every failure: which one is first overall is known only once all parts are in.
   */
  readonly sameAsFirst?: boolean;
}

export interface Scanned {
  /** Per property, its first failing runs among those judged, in run order (at most `keep`). */
  readonly failures: Map<PropertyName, FailingRun[]>;
  /** Runs judged. */
  readonly done: number;
}

/** Every run judged by every property still short of `keep` failures; the failing runs, per property. */
export function scanRuns(
  subject: Subject,
  properties: readonly Property[],
  arbitrary: fc.Arbitrary<Schedule>,
  options: ScanOptions,
): Scanned {
  const failures = new Map<PropertyName, FailingRun[]>();
  const sameAsFirst = options.sameAsFirst ?? true;
  let run = -1;
  let done = 0;
  // Every run is drawn (so run numbers and paths agree across shards and workers); this scan judges its own.
  checkRethrowing(
    arbitrary,
    (schedule) => {
      run++;
      if (!options.judges(run)) return true;
      done++;
      const pending = properties.filter((p) => (failures.get(p.name)?.length ?? 0) < options.keep);
      const failed: PropertyName[] = [];
      if (pending.length > 0) {
        const observation = observe(subject, schedule);
        // The built-in model is pure by construction (its own tests prove it); a user's system is checked,
        // unless its runs do not reproduce (the wall clock): its failures are counted, not replayed.
        let checked = subject.system === undefined || subject.reruns !== undefined;
        if (!checked && done === 1) checked = deterministic(observation);
        for (const property of pending) {
          const verdict = property.check(observation);
          if (verdict.status === 'held' || verdict.status === 'not-applicable') continue;
          if (!checked) checked = deterministic(observation);
          const found = failures.get(property.name) ?? [];
          // Later starting points must fail the same way as the first, so they shrink towards the same story.
          if (found.length === 0) failed.push(property.name);
          if (!sameAsFirst || found.length === 0 || sameFailure(verdict, found[0].verdict))
            failures.set(property.name, [...found, { run, verdict, observation }]);
        }
      }
      options.onRun?.(failed);
      return true;
    },
    { seed: options.seed, numRuns: options.runs },
  );
  return { failures, done };
}

/**
 * The starting points to shrink, per property: its first failing run, and the next ones that fail the
 * same way (so they shrink towards the same story), up to `starts`.
 */
export function chooseStarts(failures: ReadonlyMap<PropertyName, readonly FailingRun[]>, starts: number): Map<PropertyName, FailingRun[]> {
  const chosen = new Map<PropertyName, FailingRun[]>();
  for (const [name, runs] of failures) {
    const ordered = [...runs].sort((a, b) => a.run - b.run);
    if (ordered.length === 0) continue;
    const first = ordered[0];
    chosen.set(name, ordered.filter((f) => f === first || sameFailure(f.verdict, first.verdict)).slice(0, starts));
  }
  return chosen;
}

/**
 * Replays run `run` and shrinks it, keeping the failure's meaning: a violation stays a violation named
 * as at least one of the original's names (a lost write does not shrink into some other anomaly), an
 * unknown stays unknown.
 */
export function shrink(
  subject: Subject,
  property: Property,
  judge: Judge,
  arbitrary: fc.Arbitrary<Schedule>,
  options: CampaignOptions,
  { run, observation: seen }: Pick<FailingRun, 'run' | 'observation'>,
  original: Failure,
): Counterexample {
  const budget = options.shrinkBudget ?? DEFAULT_SHRINK_BUDGET;
  let checks = 0;
  const details = checkRethrowing(
    arbitrary,
    (schedule) => {
      if (checks++ > budget) return true;
      return !sameFailure(judge(schedule, property.name), original);
    },
    { seed: options.seed, path: String(run), numRuns: 1 },
  );
  if (!details.failed || details.counterexample === null || details.counterexamplePath === null) {
    if (subject.reruns === undefined || seen === undefined)
      throw new Error(
        `run ${run} of seed ${options.seed} no longer fails ${property.name} on replay: ${subject.name} is not deterministic`,
      );
    // It failed once and not in any of its reruns since: it is reported as it was seen, unshrunk.
    return {
      subject,
      property: property.name,
      seed: options.seed,
      path: String(run),
      run,
      schedule: seen.schedule,
      verdict: property.check(seen) as Failure,
      observation: seen,
      reproduced: { failed: 0, of: subject.reruns },
    };
  }
  const schedule = details.counterexample[0];
  if (subject.reruns !== undefined)
    return reproduce(subject, property, original, schedule, { seed: options.seed, path: details.counterexamplePath, run });
  const observation = observe(subject, schedule);
  const verdict = property.check(observation) as Failure;
  return { subject, property: property.name, seed: options.seed, path: details.counterexamplePath, run, schedule, verdict, observation };
}

/**
 * fc.check, except that what the predicate throws (a system's handler failing, a system found not
 * deterministic) ends the check at once and is thrown again: fast-check would take it for a failed
 * run and shrink it, and it is no finding of the campaign but a bug to report as it is.
 */
function checkRethrowing(
  arbitrary: fc.Arbitrary<Schedule>,
  predicate: (schedule: Schedule) => boolean,
  parameters: fc.Parameters<[Schedule]>,
): fc.RunDetails<[Schedule]> {
  const caught: { thrown: boolean; error?: unknown } = { thrown: false };
  const details = fc.check(
    fc.property(arbitrary, (schedule) => {
      if (caught.thrown) return true;
      try {
        return predicate(schedule);
      } catch (error) {
        caught.thrown = true;
        caught.error = error;
        return true;
      }
    }),
    parameters,
  );
  if (caught.thrown) throw caught.error;
  return details;
}

/** Runs a shrunk schedule of a subject that does not reproduce `reruns` times: the counterexample is its first failing run, with the count. */
function reproduce(
  subject: Subject,
  property: Property,
  original: Failure,
  schedule: Schedule,
  at: { seed: number; path: string; run: number },
): Counterexample {
  const of = subject.reruns!;
  let first: { observation: Observation; verdict: Failure } | null = null;
  let failed = 0;
  let last: Observation | null = null;
  for (let i = 0; i < of; i++) {
    last = observe(subject, schedule);
    const verdict = property.check(last);
    if (!sameFailure(verdict, original)) continue;
    failed++;
    first ??= { observation: last, verdict: verdict as Failure };
  }
  const shown = first ?? { observation: last!, verdict: original };
  return {
    subject,
    property: property.name,
    ...at,
    schedule,
    verdict: shown.verdict,
    observation: shown.observation,
    reproduced: { failed, of },
  };
}

export type Judge = (schedule: Schedule, property: PropertyName) => PropertyVerdict;

/**
 * Every property's verdict on a schedule, remembered: shrinking two properties that failed on the same
 * run often walks the same schedules, and each is then run through the model once.
 */
export function memoisedJudge(subject: Subject, properties: readonly Property[]): Judge {
  const seen = new Map<string, ReadonlyMap<PropertyName, PropertyVerdict>>();
  const judgeOnce = (schedule: Schedule) => {
    const observation = observe(subject, schedule);
    return new Map(properties.map((p) => [p.name, judgeProperty(p, observation)]));
  };
  return (schedule, name) => {
    const key = JSON.stringify(schedule);
    let verdicts = seen.get(key);
    if (!verdicts) {
      verdicts = judgeOnce(schedule);
      seen.set(key, verdicts);
    }
    // A subject that does not reproduce: a schedule that held is run again, up to `reruns` runs in all,
    // until it fails; what it failed with is remembered.
    for (let runs = 1; runs < (subject.reruns ?? 1) && verdicts.get(name)!.status === 'held'; runs++) {
      const again = judgeOnce(schedule);
      verdicts = new Map([...verdicts].map(([p, verdict]) => [p, verdict.status === 'held' ? again.get(p)! : verdict]));
      seen.set(key, verdicts);
    }
    return verdicts.get(name)!;
  };
}

function sameFailure(verdict: PropertyVerdict, original: Failure): boolean {
  if (verdict.status !== original.status) return false;
  if (verdict.status !== 'violated' || original.status !== 'violated') return true;
  return verdict.names.some((name) => original.names.includes(name));
}

/**
 * Runs the observation's schedule again and compares the histories: a system that reads the clock or
 * Math.random, or keeps state outside its nodes, gives another one, and nothing it shows could be
 * replayed or shrunk. Returns true, or throws a SystemError saying where the runs part.
 */
function deterministic(observation: Observation): true {
  const again = observation.subject.run(observation.schedule).events;
  const first = observation.run.events;
  const length = Math.max(first.length, again.length);
  for (let i = 0; i < length; i++) {
    const a = JSON.stringify(first[i]);
    const b = JSON.stringify(again[i]);
    if (a === b) continue;
    throw new SystemError(
      `${observation.subject.name} is not deterministic: the same schedule run twice gave different histories from event ${i} on (${a ?? 'nothing'} the first time, ${b ?? 'nothing'} the second); use ctx.random() and ctx.now, not Math.random or Date.now, and keep all state in the nodes`,
      Number((first[i] ?? again[i])?.time ?? 0),
    );
  }
  return true;
}
