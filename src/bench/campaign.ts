import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { asyncKv } from '../../examples/async-kv/system.ts';
import { quorumKv } from '../../examples/quorum-kv/system.ts';
import type { AnySystem, ExpectedAnomaly, Preset } from '../../models/index.ts';
import { presetList, presets } from '../../models/index.ts';
import type { PropertyName, SubjectRef } from '../../properties/index.ts';
import { presetSubject, propertyNamed, runCampaign, runCampaignOnWorkers, systemSubject } from '../../properties/index.ts';
import { WorkerPool } from '../campaign-pool.ts';
import type { Scenario, Section } from './scenario.ts';
import { scenario } from './scenario.ts';

// The property campaign: how many scenarios (a schedule drawn, run through the model with its finale,
// every property checked) a second on a correct design, built in or a user's system (the examples,
// through the world runner); and per flawed design, over several seeds, the median runs and seconds
// to its first counterexample and the steps it shrinks to.

const SCAN_RUNS = 500;
const SEEDS = [1, 2, 3, 4, 5, 6, 7];
const BUDGET = 2000;

const PROPERTY_FOR: Readonly<Record<ExpectedAnomaly, PropertyName>> = {
  'lost-write': 'no-lost-write',
  'stale-read': 'no-stale-read',
  'dual-leader': 'single-leader',
};

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

/** A preset, or a user's system (the examples), named `system:NAME`. */
type Design = Preset | AnySystem;

const nameOf = (design: Design) => ('receive' in design ? `system:${design.name}` : design.name);
const expectedOf = (design: Design) => ('receive' in design ? (design.knownFor ?? []) : design.expected);

/** Scenarios a second; `plain`: schedules drawn from the one mixture (--no-swarm), as every schedule was before swarm became the default. */
function scan(preset: Design, plain = false): Scenario<null> {
  return scenario({
    name: `scan${plain ? '-plain' : ''}/${nameOf(preset)}`,
    setup: () => null,
    run: () => {
      const wall = performance.now();
      const cpu = process.cpuUsage();
      runCampaign(preset, { runs: SCAN_RUNS, seed: 1, ...(plain && { schedules: { swarm: false } }) });
      const seconds = (performance.now() - wall) / 1000;
      return { 'scenarios/s': Math.round(SCAN_RUNS / seconds), 'scenarios/cpu-s': Math.round(SCAN_RUNS / cpuSeconds(cpu)) };
    },
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The same scan on a pool of worker threads, one per core: the same outcome, in less time. */
function scanOnWorkers(design: Design, ref: SubjectRef): Scenario<WorkerPool> {
  const workers = availableParallelism();
  const subject = 'receive' in design ? systemSubject(design) : presetSubject(design);
  return scenario({
    name: `scan-${workers}-workers/${nameOf(design)}`,
    setup: () => new WorkerPool(workers),
    teardown: (pool) => pool.close(),
    run: async (pool) => {
      const wall = performance.now();
      await runCampaignOnWorkers(subject, ref, { runs: SCAN_RUNS, seed: 1 }, pool);
      const seconds = (performance.now() - wall) / 1000;
      return { 'scenarios/s': Math.round(SCAN_RUNS / seconds) };
    },
  });
}

const ASYNC_KV: SubjectRef = {
  kind: 'system',
  module: fileURLToPath(new URL('../../examples/async-kv/system.ts', import.meta.url)),
  exportName: 'asyncKv',
};

/** Runs and seconds to the first counterexample naming what the preset is known for, and its shrunk length. */
function firstCounterexample(preset: Design, swarm = true): Scenario<null> {
  const properties = [...new Set(expectedOf(preset).map((kind) => PROPERTY_FOR[kind]))].map((name) => propertyNamed(name)!);
  return scenario({
    name: `first${swarm ? '' : '-plain'}/${nameOf(preset)}`,
    runs: 1,
    setup: () => null,
    run: () => {
      const found = SEEDS.map((seed) => {
        const started = performance.now();
        const times: number[] = [];
        const outcome = runCampaign(preset, {
          runs: BUDGET,
          seed,
          properties,
          schedules: { swarm },
          onRun: () => times.push(performance.now()),
        });
        const failed = outcome.properties.filter((p) => p.counterexample);
        if (failed.length === 0) return null;
        const runs = Math.min(...failed.map((p) => p.runs));
        return {
          runs,
          seconds: (times[runs - 1] - started) / 1000,
          steps: Math.min(...failed.map((p) => p.counterexample!.schedule.length)),
          total: (performance.now() - started) / 1000,
        };
      });
      const caught = found.filter((f) => f !== null);
      return {
        caught: `${caught.length}/${SEEDS.length} seeds`,
        'median runs to first': median(caught.map((f) => f.runs)),
        'median s to first': Number(median(caught.map((f) => f.seconds)).toFixed(3)),
        'median shrunk steps': median(caught.map((f) => f.steps)),
        'median s with shrinking': Number(median(caught.map((f) => f.total)).toFixed(2)),
      };
    },
  });
}

export const section: Section = {
  title: `Campaign: scenarios per second (schedule drawn, model run with finale, six properties checked; ${SCAN_RUNS} runs) on one thread and on a pool of one worker per core, and per flawed preset over seeds ${SEEDS[0]}-${SEEDS.at(-1)} the runs and seconds to the first counterexample (budget ${BUDGET}) and its shrunk length, by default (swarm profiles and deep units) and with --no-swarm schedules (first-plain)`,
  scenarios: [
    scan(presets.safe),
    scan(presets.safe, true),
    scan(presets['lease-reads']),
    scan(quorumKv),
    scan(asyncKv),
    scanOnWorkers(presets.safe, { kind: 'preset', preset: 'safe' }),
    scanOnWorkers(presets['lease-reads'], { kind: 'preset', preset: 'lease-reads' }),
    scanOnWorkers(asyncKv, ASYNC_KV),
    ...presetList.filter((p) => p.expected.length > 0).map((p) => firstCounterexample(p)),
    firstCounterexample(asyncKv),
    ...presetList.filter((p) => p.expected.length > 0).map((p) => firstCounterexample(p, false)),
    firstCounterexample(asyncKv, false),
  ],
};
