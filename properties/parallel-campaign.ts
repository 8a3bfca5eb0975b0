import type { Schedule } from '../models/index.ts';
import { subjectScheduleArbitrary } from './arbitraries/preset-schedule.ts';
import type { CampaignOptions, CampaignOutcome, Counterexample, FailingRun, Failure } from './campaign.ts';
import { applicable, chooseStarts, DEFAULT_STARTS, outcomeOf, runCampaign, scanRuns } from './campaign.ts';
import type { CampaignTask, ScanResult, ShrinkJob, ShrinkResult, SubjectRef, TaskResult } from './campaign-task.ts';
import { observe } from './observation.ts';
import { PROPERTIES } from './properties.ts';
import type { Property, PropertyName } from './property.ts';
import type { Subject } from './subject.ts';

// The campaign on worker threads, with the outcome of one thread, byte for byte. Each worker judges
// every pool-size-th run of the shard and keeps every failure it sees (up to a cap); the first failure
// overall and the starting points that fail as it does are then chosen exactly as one thread would,
// and each is shrunk on some worker. Should a worker's cap have hidden a starting point, that property
// is scanned again on this thread, so the answer never depends on the number of workers.

/** Threads that take campaign tasks (src/campaign-pool.ts); what travels is plain data. */
export interface CampaignPool {
  readonly size: number;
  run(task: CampaignTask, onRun?: (runs: number) => void): Promise<TaskResult>;
}

/** Failures a worker keeps per property, of any kind, per starting point: enough that the fallback scan stays rare. */
const KEEP_PER_START = 2;

/**
 * The campaign of `subject` on `pool`'s workers, each loading it by `ref`; on this thread without a pool
 * or a reference, and for a subject whose runs do not reproduce (processes on the wall clock): the same
 * outcome either way.
 */
export async function runCampaignOnWorkers(
  subject: Subject,
  ref: SubjectRef | null,
  options: CampaignOptions,
  pool: CampaignPool | null,
): Promise<CampaignOutcome> {
  if (pool === null || ref === null || subject.reruns !== undefined) return runCampaign(subject, options);
  return runOnPool(subject, ref, options, pool);
}

async function runOnPool(subject: Subject, ref: SubjectRef, options: CampaignOptions, pool: CampaignPool): Promise<CampaignOutcome> {
  const { properties } = applicable(subject, options.properties ?? PROPERTIES);
  const shard = options.shard ?? { index: 0, count: 1 };
  const starts = options.starts ?? DEFAULT_STARTS;
  const keep = KEEP_PER_START * starts;
  const base = {
    subject: ref,
    properties: properties.map((p) => p.name),
    seed: options.seed,
    runs: options.runs,
    ...(options.schedules && { schedules: options.schedules }),
  };
  const onRun =
    options.onRun &&
    ((runs: number) => {
      for (let i = 0; i < runs; i++) options.onRun!([]);
    });
  const parts = (await Promise.all(
    Array.from({ length: pool.size }, (_, index) =>
      pool.run({ kind: 'scan', ...base, shard, part: { index, count: pool.size }, keep }, onRun),
    ),
  )) as ScanResult[];

  const merged = new Map<PropertyName, FailingRun[]>();
  for (const part of parts) for (const [name, runs] of part.failures) merged.set(name, [...(merged.get(name) ?? []), ...runs]);
  const chosen = chooseStarts(merged, starts);
  for (const property of properties) {
    const picked = chosen.get(property.name) ?? [];
    // A worker that stopped keeping failures at run R knows nothing after R: the choice is exact only
    // when every starting point was found and none lies beyond such an R.
    const last = picked.length === starts ? picked[starts - 1].run : Infinity;
    const blind = parts.some((part) => {
      const kept = part.failures.find(([name]) => name === property.name)?.[1] ?? [];
      return kept.length >= keep && kept[kept.length - 1].run < last;
    });
    if (blind) {
      const again = scanRuns(subject, [property], subjectScheduleArbitrary(subject, options.schedules), {
        runs: options.runs,
        seed: options.seed,
        judges: (run) => run % shard.count === shard.index,
        keep: starts,
      });
      chosen.set(
        property.name,
        (again.failures.get(property.name) ?? []).map(({ run, verdict }) => ({ run, verdict })),
      );
    }
  }
  const done = parts.reduce((sum, part) => sum + part.done, 0);

  // Shrink on the workers, properties that share a starting run together, then assemble the outcome
  // as one thread would.
  const shrinkBudget = options.shrinkBudget;
  const tasks = groupSharingRuns(
    [...chosen]
      .filter(([, runs]) => runs.length > 0)
      .map(([property, runs]) => ({ property, starts: runs.map((r) => r.run), original: runs[0].verdict })),
  );
  const results = await Promise.all(
    tasks.map((jobs) => pool.run({ kind: 'shrink', ...base, jobs, ...(shrinkBudget !== undefined && { shrinkBudget }) })),
  );
  const shrunk = new Map<string, { readonly path: string; readonly schedule: unknown[] }>();
  tasks.forEach((jobs, t) => {
    jobs.forEach((job, j) => {
      job.starts.forEach((run, k) => {
        shrunk.set(`${job.property}|${run}`, (results[t] as ShrinkResult).shrunk[j][k]);
      });
    });
  });
  return outcomeOf(subject, options, done, chosen, (property: Property, { run }: FailingRun) => {
    const { path, schedule } = shrunk.get(`${property.name}|${run}`)!;
    return counterexampleOf(subject, property, options.seed, path, run, schedule as Schedule);
  });
}

/** Jobs whose starting runs overlap, directly or through others, as one task each. */
function groupSharingRuns(jobs: readonly ShrinkJob[]): ShrinkJob[][] {
  const groups: { runs: Set<number>; jobs: ShrinkJob[] }[] = [];
  for (const job of jobs) {
    const touching = groups.filter((g) => job.starts.some((run) => g.runs.has(run)));
    const merged = {
      runs: new Set([...job.starts, ...touching.flatMap((g) => [...g.runs])]),
      jobs: [...touching.flatMap((g) => g.jobs), job],
    };
    for (const g of touching) groups.splice(groups.indexOf(g), 1);
    groups.push(merged);
  }
  return groups.map((g) => g.jobs);
}

function counterexampleOf(
  subject: Subject,
  property: Property,
  seed: number,
  path: string,
  run: number,
  schedule: Schedule,
): Counterexample {
  const observation = observe(subject, schedule);
  const verdict = property.check(observation) as Failure;
  return { subject, property: property.name, seed, path, run, schedule, verdict, observation };
}
