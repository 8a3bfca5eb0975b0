import type { History } from '../operation.ts';
import { workloadDefinition } from '../workloads/workload.ts';
import type { ConsistencyOptions } from './consistency-options.ts';
import type { LevelResult } from './level.ts';
import { registerSequential } from './register-sequential.ts';
import { checkSessionGuarantees } from './session-level.ts';
import { keyModels } from './session-models.ts';
import { supportedWorkload } from './supported-workload.ts';

/**
 * sequential: one total order of all operations (of every key) in which every read returns the latest
 * write of its key (every successful cas finds its old value, every list read shows exactly the appends
 * before it), and each client process's order holds as far as it is known: an acknowledged operation
 * comes before everything its process invoked after it. Unlike linearizability, real time across
 * processes plays no part: an operation may take effect before one that completed earlier in another
 * process. Failed operations did not happen. An :info operation may have happened, at any point after
 * its invocation, even after its process's later operations (a client that timed out goes on, while its
 * request may still land), or never; it is never assumed to have happened unless a read shows it.
 * Linearizability implies this (its real-time order includes the process order), and this implies every
 * session guarantee, all four on one order of writes.
 *
 * List-append histories are decided exactly in linear time (list-append-order.ts). Register histories
 * are first held against the session guarantees together, which sequential consistency implies, so a
 * failure comes with their short evidence; otherwise a budgeted search decides (register-sequential.ts),
 * unknown if the budget runs out. Throws InputError on a history that is not a register or list-append one.
 */
export function checkSequential(history: History, options: ConsistencyOptions = {}): LevelResult {
  const workload = supportedWorkload(history, 'sequential', options);
  const order = workloadDefinition(workload)?.order;
  if (order) return order(history, 'sequential');
  const sessions = checkSessionGuarantees(history, keyModels(history, workload, options.initialValue));
  if (sessions.holds === false) {
    return { holds: false, evidence: { ...sessions.evidence, reason: `not sequentially consistent, as ${sessions.evidence.reason}` } };
  }
  return registerSequential(history, { steps: options.budget?.steps, initialValue: options.initialValue });
}
