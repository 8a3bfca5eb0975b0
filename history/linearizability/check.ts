import type { Key } from '../event.ts';
import { MalformedHistoryError } from '../input-error.ts';
import type { History, Operation } from '../operation.ts';
import type { Value } from '../value.ts';
import type { CheckResult, PartitionVerdict, Verdict } from '../verdict.ts';
import { chooseModel } from './model-choice.ts';
import type { SearchLimits, SearchOp } from './search.ts';
import { searchLinearization } from './search.ts';
import type { AnySpec } from './spec.ts';
import { partitionByKey } from './specs/keyed.ts';

// Checks a whole history for linearizability: picks the model, splits a keyed history by key, runs the
// search on each part within the budget, and gathers the verdicts with their evidence.

export interface CheckBudget {
  /** Search steps allowed per partition; reproducible. */
  readonly steps?: number;
  /** Wall-clock milliseconds for the whole check; a convenience, not reproducible. */
  readonly millis?: number;
}

export interface CheckOptions {
  /** A model name ("cas-register", "keyed cas-register"); inferred from the operations when absent. */
  readonly model?: string;
  /** The value every register starts at (register, cas-register, multi-register); nil when absent. */
  readonly initialValue?: Value;
  readonly budget?: CheckBudget;
  /** The clock the time budget is measured on, in milliseconds. */
  readonly clock?: () => number;
  /** Told how far the check is, as each partition starts and every few thousand search steps. */
  readonly onProgress?: (progress: CheckProgress) => void;
  /**
   * Stop at the first key proved not linearizable: the verdict is then proved, and the keys not yet
   * checked are left out of the result (counted in `unchecked`).
   */
  readonly firstFailure?: boolean;
  /** What a failed cas says: nothing (the default, as Knossos reads it), or that the value was not `old`. */
  readonly failedCas?: FailedCas;
  /**
   * Checks many keys at once (worker threads, say): given the model name and each key's operations,
   * returns each key's verdict, as checkPartition gives it, in the same order, or undefined to have them
   * checked here (too few to be worth it). Used for keyed histories without a time budget (a deadline
   * cannot be shared across threads); the result is the one the keys checked one by one give.
   */
  readonly checkKeys?: KeyChecker;
}

export type KeyChecker = (
  model: string,
  keys: readonly (readonly Operation[])[],
  steps: number | undefined,
  failedCas: FailedCas,
  initialValue: Value | undefined,
) => PartitionVerdict[] | undefined;

/**
 * `ignore`: a failed compare-and-set did not take effect and is left out, as Knossos reads it. `observe`:
 * it also saw, at some point between its invocation and completion, a value other than the one it
 * expected, as Porcupine's etcd model reads it: for systems that fail a cas only on a mismatch.
 */
export type FailedCas = 'ignore' | 'observe';
export const FAILED_CAS: readonly FailedCas[] = ['ignore', 'observe'];

export interface CheckProgress {
  readonly partitions: number;
  /** Partitions finished. */
  readonly done: number;
  /** Steps spent so far, over all partitions. */
  readonly steps: number;
}

/**
 * Throws InputError for an unknown model name and MalformedHistoryError (naming the event) for an
 * operation the model does not take or a keyed history with an operation lacking its key.
 */
export function checkHistory(history: History, options: CheckOptions = {}): CheckResult {
  const model = chooseModel(history.operations, options.model, options.initialValue);
  const parts: { key?: Key; operations: readonly Operation[] }[] = model.keyed
    ? partitionByKey(history.operations)
    : [{ operations: history.operations }];
  const clock = options.clock ?? (() => performance.now());
  const deadline = options.budget?.millis === undefined ? undefined : clock() + options.budget.millis;
  const { onProgress } = options;
  // Smallest keys first: a first failure among them costs least to find, and a time budget that runs out
  // leaves the big keys unknown rather than the many small ones. Results keep the keys' own order.
  const order = parts.map((_, i) => i).sort((a, b) => parts[a].operations.length - parts[b].operations.length || a - b);
  const verdicts: (PartitionVerdict | undefined)[] = new Array(parts.length);
  let done = 0;
  let spent = 0;
  // All at once elsewhere, then taken in the same order as below, so the result is the same.
  const precomputed =
    options.checkKeys && deadline === undefined && parts.length > 1
      ? options.checkKeys(
          model.name,
          order.map((i) => parts[i].operations),
          options.budget?.steps,
          options.failedCas ?? 'ignore',
          model.initialValue,
        )
      : undefined;
  const checkOne = (index: number): PartitionVerdict => {
    onProgress?.({ partitions: parts.length, done, steps: spent });
    const limits: SearchLimits = {
      steps: options.budget?.steps,
      expired:
        deadline === undefined && !onProgress
          ? undefined
          : (steps) => {
              onProgress?.({ partitions: parts.length, done, steps: spent + steps });
              return deadline !== undefined && clock() >= deadline;
            },
    };
    const outOfTime = deadline !== undefined && clock() >= deadline;
    return checkPartition(model.spec, parts[index].operations, limits, outOfTime, options.failedCas);
  };
  for (const [rank, index] of order.entries()) {
    const verdict = precomputed ? precomputed[rank] : checkOne(index);
    const { key } = parts[index];
    spent += verdict.steps;
    done++;
    verdicts[index] = { ...(key !== undefined && { key }), ...verdict };
    if (options.firstFailure && verdict.verdict === 'invalid') break;
  }
  const partitions = verdicts.filter((p): p is PartitionVerdict => p !== undefined);
  return {
    verdict: worstVerdict(partitions.map((p) => p.verdict)),
    model: model.name,
    ...(model.initialValue !== undefined && { initialValue: model.initialValue }),
    partitions,
    steps: spent,
    ...(options.failedCas === 'observe' && { failedCas: 'observe' as const }),
    ...(partitions.length < parts.length && { unchecked: parts.length - partitions.length }),
  };
}

/**
 * One partition against one spec: failed operations left out, operations that cannot matter dropped.
 * `outOfTime` still reads every operation (bad input is an error whatever the clock says), then stops.
 */
export function checkPartition(
  spec: AnySpec,
  operations: readonly Operation[],
  limits: SearchLimits = {},
  outOfTime = false,
  failedCas: FailedCas = 'ignore',
): PartitionVerdict {
  const searched = searchOps(spec, operations, failedCas);
  const happened = operations.filter(counted(failedCas)).length;
  if (outOfTime) return { verdict: 'unknown', operations: happened, steps: 0, exhausted: 'time' };
  const outcome = searchLinearization(spec, searched, limits);
  const common = { operations: happened, steps: outcome.steps };
  switch (outcome.verdict) {
    case 'valid':
      return { verdict: 'valid', ...common, linearization: outcome.linearization };
    case 'invalid':
      return {
        verdict: 'invalid',
        ...common,
        longestPrefix: outcome.longestPrefix,
        stateAfterPrefix: outcome.stateAfterPrefix,
        stuck: outcome.stuck,
      };
    case 'unknown':
      return { verdict: 'unknown', ...common, exhausted: outcome.exhausted };
  }
}

/** What the search gets: the operations that happened, in the spec's terms, less those that cannot matter. */
export function searchOps(spec: AnySpec, operations: readonly Operation[], failedCas: FailedCas = 'ignore'): SearchOp<unknown>[] {
  const keep = counted(failedCas);
  const happened = operations.filter(keep);
  const calls = readCalls(spec, operations).filter((_, i) => keep(operations[i]));
  const droppable = spec.droppable(calls);
  const searched: SearchOp<unknown>[] = [];
  for (let i = 0; i < happened.length; i++) {
    if (droppable[i]) continue;
    const op = happened[i];
    searched.push({ id: op.id, call: calls[i], invoke: op.invokeIndex, complete: op.result === 'info' ? -1 : op.completeIndex });
  }
  return searched;
}

/** Which operations the search sees: those that happened, and with `observe` failed cas ops too. */
function counted(failedCas: FailedCas): (op: Operation) => boolean {
  return failedCas === 'observe' ? (op) => op.result !== 'fail' || op.f === 'cas' : (op) => op.result !== 'fail';
}

/** Every operation in the model's terms, failed ones too: a model that cannot name an op is bad input. */
function readCalls(spec: AnySpec, operations: readonly Operation[]): unknown[] {
  return operations.map((op) => {
    if (!spec.accepts.includes(op.f)) {
      throw new MalformedHistoryError(
        `process ${op.process} invokes ${op.f}, which the ${spec.name} model does not take (it takes ${spec.accepts.join(', ')})`,
        op.invokeIndex,
      );
    }
    const reading = spec.read(op);
    if ('problem' in reading) throw new MalformedHistoryError(`process ${op.process}: ${reading.problem}`, op.invokeIndex);
    return reading.call;
  });
}

/** Any invalid part makes the whole invalid; otherwise any unknown part leaves it unknown. */
export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes('invalid')) return 'invalid';
  if (verdicts.includes('unknown')) return 'unknown';
  return 'valid';
}
