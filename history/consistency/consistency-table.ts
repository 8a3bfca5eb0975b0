import type { History } from '../operation.ts';
import type { Workload } from '../workloads/workload.ts';
import { levelWorkloads, recogniseWorkload, workloadDefinition } from '../workloads/workload.ts';
import type { ConsistencyOptions } from './consistency-options.ts';
import type { ConsistencyLevel, LevelResult } from './level.ts';
import { CONSISTENCY_LEVELS } from './level.ts';
import { checkLinearizable } from './linearizable.ts';
import { checkMonotonicReads } from './monotonic-reads.ts';
import { checkMonotonicWrites } from './monotonic-writes.ts';
import { checkReadYourWrites } from './read-your-writes.ts';
import { checkSequential } from './sequential.ts';
import { checkWritesFollowReads } from './writes-follow-reads.ts';

// Which consistency levels a history meets, strongest first. Levels imply one another: linearizable
// implies sequential and every session guarantee, and sequential implies every session guarantee under
// the free write order (not under real time, which it ignores), so a proof of a stronger level
// settles a weaker one left unknown, and a refutation of a weaker one settles a stronger one; such rows
// name the level they were settled by (`via`).

export interface ConsistencyRow {
  readonly level: ConsistencyLevel;
  readonly result: LevelResult;
  /** Set when the result follows from another level's rather than from its own check. */
  readonly via?: ConsistencyLevel;
}

export interface ConsistencyTable {
  readonly workload: Workload;
  readonly rows: readonly ConsistencyRow[];
}

type SessionCheck = (history: History, options: ConsistencyOptions) => LevelResult;

const SESSION_CHECKS: readonly [ConsistencyLevel, SessionCheck][] = [
  ['read-your-writes', checkReadYourWrites],
  ['monotonic-reads', checkMonotonicReads],
  ['monotonic-writes', checkMonotonicWrites],
  ['writes-follow-reads', checkWritesFollowReads],
];

export function consistencyTable(history: History, options: ConsistencyOptions = {}): ConsistencyTable {
  const workload = options.workload ?? recogniseWorkload(history);
  const settled = { ...options, workload };
  if (history.operations.length === 0) return { workload, rows: CONSISTENCY_LEVELS.map((level) => ({ level, result: { holds: true } })) };
  if (workloadDefinition(workload)?.levels !== 'all') return { workload, rows: unsupportedRows(history, workload, settled) };
  const rows = new Map<ConsistencyLevel, ConsistencyRow>();
  for (const [level, check] of SESSION_CHECKS) rows.set(level, { level, result: check(history, settled) });
  const linearizable: ConsistencyRow = { level: 'linearizable', result: checkLinearizable(history, settled) };
  rows.set('linearizable', linearizable);
  // Sequential consistency implies the guarantees under the free write order, not under real time.
  const free = settled.writeOrder === 'free';
  const sessionFailure = free ? SESSION_CHECKS.map(([level]) => rows.get(level)!).find((row) => row.result.holds === false) : undefined;
  let sequential: ConsistencyRow;
  if (linearizable.result.holds === true) sequential = { level: 'sequential', result: { holds: true }, via: 'linearizable' };
  else if (sessionFailure) sequential = { level: 'sequential', result: sessionFailure.result, via: sessionFailure.level };
  else sequential = { level: 'sequential', result: checkSequential(history, settled) };
  rows.set('sequential', sequential);
  if (linearizable.result.holds === 'unknown' && sequential.result.holds === false) {
    rows.set('linearizable', { level: 'linearizable', result: sequential.result, via: 'sequential' });
  }
  const settler = free && sequential.result.holds === true ? 'sequential' : linearizable.result.holds === true ? 'linearizable' : undefined;
  if (settler) {
    for (const [level] of SESSION_CHECKS) {
      if (rows.get(level)!.result.holds === 'unknown') rows.set(level, { level, result: { holds: true }, via: settler });
    }
  }
  return { workload, rows: CONSISTENCY_LEVELS.map((level) => rows.get(level)!) };
}

function unsupportedRows(history: History, workload: Workload, options: ConsistencyOptions): ConsistencyRow[] {
  const levels = workloadDefinition(workload)?.levels;
  if (typeof levels === 'object')
    return CONSISTENCY_LEVELS.map((level) => ({
      level,
      result: { holds: 'unknown', reason: `not checked on ${workload} histories: ${levels.none}` },
    }));
  const linearizable = checkLinearizable(history, options);
  return CONSISTENCY_LEVELS.map((level) =>
    level === 'linearizable'
      ? { level, result: linearizable }
      : { level, result: { holds: 'unknown', reason: `${level} is checked on ${levelWorkloads().join(' and ')} histories` } },
  );
}
