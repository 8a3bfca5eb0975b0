import type { History } from '../operation.ts';
import type { ConsistencyOptions } from './consistency-options.ts';
import type { LevelResult } from './level.ts';
import { listAppendOrder } from './list-append-order.ts';
import { registerSequential } from './register-sequential.ts';
import type { SessionLevel } from './session-level.ts';
import { checkSessionLevel } from './session-level.ts';
import { keyModels } from './session-models.ts';
import { supportedWorkload } from './supported-workload.ts';

const SESSION_LEVELS: readonly SessionLevel[] = ['read-your-writes', 'monotonic-reads', 'monotonic-writes', 'writes-follow-reads'];

/**
 * sequential: one total order of all operations (of every key) that keeps each client process's own
 * order, in which every read returns the latest write of its key (every successful cas finds its old
 * value, every list read shows exactly the appends before it). Unlike linearizability, real time plays no
 * part: an operation may take effect before one that completed earlier in another process.
 * Failed operations did not happen; indeterminate ones may have or not.
 *
 * List-append histories are decided exactly in linear time (list-append-order.ts). Register histories
 * are first held against the session guarantees, all of which sequential consistency implies, so a
 * failure comes with their short evidence; otherwise a budgeted search decides (register-sequential.ts),
 * unknown if the budget runs out. Throws InputError on a history that is not a register or list-append one.
 */
export function checkSequential(history: History, options: ConsistencyOptions = {}): LevelResult {
  const workload = supportedWorkload(history, 'sequential', options);
  if (workload === 'list-append') return listAppendOrder(history, 'sequential');
  const models = keyModels(history, workload, options.initialValue);
  for (const level of SESSION_LEVELS) {
    const result = checkSessionLevel(history, models, level);
    if (result.holds === false) {
      return { holds: false, evidence: { ...result.evidence, reason: `not sequentially consistent, as ${result.evidence.reason}` } };
    }
  }
  return registerSequential(history, { steps: options.budget?.steps, initialValue: options.initialValue });
}
