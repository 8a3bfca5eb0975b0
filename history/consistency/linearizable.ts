import { operationBrief } from '../explain/operation.ts';
import { InputError } from '../input-error.ts';
import { checkHistory } from '../linearizability/check.ts';
import type { History } from '../operation.ts';
import type { CheckResult } from '../verdict.ts';
import { recogniseWorkload, workloadDefinition } from '../workloads/workload.ts';
import type { ConsistencyOptions } from './consistency-options.ts';
import type { LevelResult } from './level.ts';

/**
 * linearizable: one total order of all operations, consistent with real time (an operation that completed
 * before another began comes first), in which every operation does what the model's sequential
 * specification says. List-append histories are decided exactly in linear time (list-append-order.ts);
 * every other history goes to the linearizability checker (check.ts) with its model and budget, and its
 * verdict is taken as it is: unknown only when the budget ran out. Throws InputError on a set history.
 */
export function checkLinearizable(history: History, options: ConsistencyOptions = {}): LevelResult {
  const workload = options.workload ?? recogniseWorkload(history);
  const definition = workloadDefinition(workload);
  if (definition?.order) return definition.order(history, 'linearizable');
  if (typeof definition?.levels === 'object')
    throw new InputError(`linearizable is not checked on ${workload} histories: ${definition.levels.none}`);
  const result = options.linearizability ?? checkHistory(history, { model: options.model, budget: options.budget });
  return fromCheckResult(history, result);
}

/** A linearizability verdict as a level result; the evidence is the first failing partition's stuck operations. */
function fromCheckResult(history: History, result: CheckResult): LevelResult {
  if (result.verdict === 'valid') return { holds: true };
  if (result.verdict === 'unknown') {
    const exhausted = result.partitions.find((p) => p.verdict === 'unknown')?.exhausted ?? 'steps';
    return { holds: 'unknown', reason: `the linearizability check ran out of its ${exhausted === 'time' ? 'time' : 'step'} budget` };
  }
  const failing = result.partitions.find((p) => p.verdict === 'invalid')!;
  const prefix = failing.longestPrefix ?? [];
  const stuck = failing.stuck ?? [];
  const where = failing.key !== undefined ? ` on key ${failing.key}` : '';
  return {
    holds: false,
    evidence: {
      ...(failing.key !== undefined && { key: failing.key }),
      ops: stuck,
      reason:
        `not linearizable${where} (${result.model}): after ${prefix.length} operation(s) in order` +
        `${failing.stateAfterPrefix !== undefined ? ` (state ${failing.stateAfterPrefix})` : ''}, none of ${stuck.map((id) => operationBrief(history.operations[id])).join(', ')} can come next`,
    },
  };
}
