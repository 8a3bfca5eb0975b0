import { detectAnomalies } from '../../history/anomalies/detect-anomalies.ts';
import { checkLinearizable } from '../../history/consistency/linearizable.ts';
import { checkMonotonicReads } from '../../history/consistency/monotonic-reads.ts';
import type { History } from '../../history/operation.ts';
import { buildHistory } from '../../history/operation.ts';
import { checkListAppend } from '../../history/workloads/list-append/list-append.ts';
import { checkSet } from '../../history/workloads/set/set.ts';
import type { SimulationOptions } from '../../history/workloads/simulated-history.ts';
import { seededChoose, simulateHistory } from '../../history/workloads/simulated-history.ts';
import type { LevelWorkload } from '../../history/workloads/workload.ts';
import type { Scenario, Section } from './scenario.ts';
import { scenario } from './scenario.ts';

// The workload checks and anomaly detectors on generated histories of a correct store (simulateHistory:
// failures, :info ops landing late, nemesis markers; seeded, so every run checks the same bytes).
// Lists and sets are bounded per key (the workload moves to fresh keys, as Elle's and Jepsen's do), so a
// read returns at most a few hundred elements; each history's total read size is reported.

function simulated(options: SimulationOptions): History {
  return buildHistory(simulateHistory(options, seededChoose(20_240_601)));
}

function size(count: number): string {
  return count >= 1e6 ? `${count / 1e6}M` : `${count / 1e3}k`;
}

function elementsRead(history: History): number {
  let total = 0;
  for (const op of history.operations) if (op.f === 'read' && op.result === 'ok' && Array.isArray(op.output)) total += op.output.length;
  return total;
}

function listAppend(ops: number, runs: number): Scenario<History> {
  return scenario({
    name: `list-append check, ${size(ops)} ops, 20 processes, 8 keys`,
    runs,
    setup: () => simulated({ workload: 'list-append', ops, processes: 20, keys: 8, writesPerKey: 200 }),
    run: (history) => {
      const result = checkListAppend(history);
      return { ops: history.operations.length, 'elements read': elementsRead(history), anomalies: result.anomalies.length };
    },
  });
}

function set(ops: number, runs: number): Scenario<History> {
  return scenario({
    name: `set check, ${size(ops)} ops, 20 processes, 8 keys`,
    runs,
    setup: () => simulated({ workload: 'set', ops, processes: 20, keys: 8, readPercent: 5, writesPerKey: 500 }),
    run: (history) => {
      const result = checkSet(history);
      return {
        ops: history.operations.length,
        'elements read': elementsRead(history),
        lost: result.counts.lost,
        stale: result.counts.stale,
      };
    },
  });
}

function registerDetectors(ops: number, keys: number, runs: number): Scenario<History> {
  return scenario({
    name: `register detectors, ${size(ops)} ops, 20 processes, ${keys} key${keys === 1 ? '' : 's'}`,
    runs,
    setup: () => simulated({ workload: 'register', ops, processes: 20, keys }),
    run: (history) => {
      const found = detectAnomalies(history, { workload: 'register' });
      return { ops: history.operations.length, anomalies: found.anomalies.length, inconclusive: found.inconclusive.length };
    },
  });
}

function levels(workload: LevelWorkload, ops: number, runs: number): Scenario<History> {
  return scenario({
    name: `${workload} monotonic reads${workload === 'list-append' ? ' and linearizability' : ''}, ${size(ops)} ops`,
    runs,
    setup: () => simulated({ workload, ops, processes: 20, keys: 8, ...(workload === 'list-append' && { writesPerKey: 200 }) }),
    run: (built) => {
      // A fresh History object each run: the key models are cached per history, and building them is part of the cost.
      const history = { ...built };
      const monotonic = checkMonotonicReads(history, { workload });
      const linearizable = workload === 'list-append' ? checkLinearizable(history, { workload }).holds : 'not run';
      return { ops: history.operations.length, 'monotonic reads': String(monotonic.holds), linearizable: String(linearizable) };
    },
  });
}

export const section: Section = {
  title: 'Workload checks and anomaly detectors',
  scenarios: [
    listAppend(100_000, 5),
    listAppend(1_000_000, 3),
    set(100_000, 5),
    set(1_000_000, 3),
    registerDetectors(100_000, 1, 5),
    registerDetectors(1_000_000, 1, 3),
    registerDetectors(1_000_000, 64, 3),
    levels('register', 100_000, 3),
    levels('list-append', 100_000, 3),
  ],
};
