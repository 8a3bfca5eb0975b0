import type { Event, Key } from '../event.ts';
import { isClientProcess } from '../event.ts';
import { checkHistory } from '../linearizability/check.ts';
import type { History, Operation } from '../operation.ts';
import { buildHistory } from '../operation.ts';
import type { CheckResult, PartitionVerdict } from '../verdict.ts';

// When a history is not linearizable and no detector names an anomaly, the explanation is the smallest
// set of operations that cannot be linearized together, found by shrinking a failing partition with the
// checker itself (delta debugging: drop halves, quarters, ... single operations while the rest stays
// invalid). "Dropping" an operation relaxes it to an indeterminate one (an invocation that never
// completes, on a process of its own): it may still have taken effect at any time after it began, or
// never. A dropped read then constrains nothing, and a dropped write still explains reads of its value,
// so a core never blames a read for a write that was merely left out. Relaxing only ever removes
// constraints, so any superset of an invalid set is invalid, and one pass of single removals that all
// come back valid proves the core 1-minimal: removing any one of its operations makes the rest
// linearizable. A removal whose check runs out of budget is kept, and the core is then not called minimal.

export interface UnlinearizableCore {
  readonly key?: Key;
  /** Operation ids, in invocation order. */
  readonly ops: readonly number[];
  /** Proved: without any one of these operations, the rest are linearizable. */
  readonly minimal: boolean;
  /** Linearizability checks spent shrinking. */
  readonly checks: number;
  readonly reason: string;
}

export interface CoreOptions {
  /**
   * Search steps per check (default 50,000) and in all for one partition (default 2,000,000): a check
   * that runs out counts as undecided, and shrinking stops when the total is spent. Steps, not time,
   * so the same history always gives the same core.
   */
  readonly budget?: { readonly steps?: number; readonly totalSteps?: number };
  /** Failing partitions to explain (default 3). */
  readonly partitions?: number;
}

/** Cores of the failing partitions of `result`, the linearizability verdict on `history`. */
export function unlinearizableCores(history: History, result: CheckResult, options: CoreOptions = {}): UnlinearizableCore[] {
  return result.partitions
    .filter((p) => p.verdict === 'invalid')
    .slice(0, options.partitions ?? 3)
    .map((partition) => shrinkPartition(history, result, partition, options));
}

function shrinkPartition(
  history: History,
  { model, failedCas }: CheckResult,
  partition: PartitionVerdict,
  options: CoreOptions,
): UnlinearizableCore {
  const steps = options.budget?.steps ?? 50_000;
  const totalSteps = options.budget?.totalSteps ?? 2_000_000;
  // The verdict's own reading of a failed cas: an observation is part of the evidence.
  const searched = (op: Operation) => op.result !== 'fail' || (failedCas === 'observe' && op.f === 'cas');
  const members = history.operations.filter((op) => searched(op) && (partition.key === undefined || op.key === partition.key));
  let checks = 0;
  let spent = 0;
  let undecided = false;
  const invalid = (kept: readonly Operation[], effort = steps): boolean | undefined => {
    checks++;
    const sub = relaxedHistory(history, members, new Set(kept.map((op) => op.id)));
    const result = checkHistory(sub, { model, budget: { steps: effort }, ...(failedCas && { failedCas }) });
    spent += result.steps;
    return result.verdict === 'unknown' ? undefined : result.verdict === 'invalid';
  };
  // The search got stuck by the time every stuck operation completed: what began later can usually go at once.
  const stuckBy = Math.max(
    ...(partition.stuck ?? []).map((id) => (history.operations[id].completeIndex < 0 ? Infinity : history.operations[id].completeIndex)),
  );
  const window = members.filter((op) => op.invokeIndex < stuckBy);
  let core = window.length < members.length && invalid(window) === true ? window : members;
  if (core === members && invalid(core) !== true) return described(partition.key, core, false, checks);
  for (let chunk = Math.ceil(core.length / 2); ; chunk = Math.ceil(chunk / 2)) {
    // Latest first: a relaxed early operation stays pending through everything after it, which is what
    // makes a check expensive, so the cheap removals are tried before it.
    for (let end = core.length; end > 0 && spent < totalSteps; end -= chunk) {
      const from = Math.max(0, end - chunk);
      const candidate = [...core.slice(0, from), ...core.slice(end)];
      // Dropping many operations at once either works quickly or is not worth a long search.
      const verdict = candidate.length > 0 ? invalid(candidate, chunk > 1 ? Math.ceil(steps / 10) : steps) : false;
      if (verdict === true) core = candidate;
      else if (verdict === undefined && chunk === 1) undecided = true;
    }
    if (spent >= totalSteps) return described(partition.key, core, false, checks);
    if (chunk === 1) break;
  }
  return described(partition.key, core, !undecided, checks);
}

/** The events of `members` with only `kept` operations as they were; the rest relaxed to pending invocations. */
export function relaxedHistory(history: History, members: readonly Operation[], kept: ReadonlySet<number>): History {
  let spare = 1;
  for (const op of members) spare = Math.max(spare, op.process + 1);
  const events: { at: number; event: Event }[] = [];
  for (const op of members) {
    const invoke = history.events[op.invokeIndex];
    if (kept.has(op.id)) {
      events.push({ at: op.invokeIndex, event: invoke });
      if (op.completeIndex >= 0) events.push({ at: op.completeIndex, event: history.events[op.completeIndex] });
    } else if (isClientProcess(invoke.process)) {
      events.push({ at: op.invokeIndex, event: { ...invoke, process: spare++ } });
    }
  }
  events.sort((a, b) => a.at - b.at);
  return buildHistory(events.map((e) => e.event));
}

function described(key: Key | undefined, core: readonly Operation[], minimal: boolean, checks: number): UnlinearizableCore {
  const where = key !== undefined ? ` on key ${key}` : '';
  return {
    ...(key !== undefined && { key }),
    ops: core.map((op) => op.id),
    minimal,
    checks,
    reason: minimal
      ? `these ${core.length} operations${where} cannot be linearized together, and without any one of them the rest can`
      : `these ${core.length} operations${where} cannot be linearized together (not proved minimal: the shrinking budget ran out)`,
  };
}
