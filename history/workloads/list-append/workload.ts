import { listAppendOrder } from '../../consistency/list-append-order.ts';
import type { History, Operation } from '../../operation.ts';
import type { Value } from '../../value.ts';
import type { WorkloadDefinition } from '../workload-definition.ts';
import { checkListAppend } from './list-append.ts';

// A list-append history: append and read of whole lists, or Elle's txns of [append k v] / [r k list]; a
// history of reads alone that return lists is one too (a set history looks the same, and means the
// same). Decided exactly, in linear time, by the order its appends show.

export const listAppendWorkload = {
  name: 'list-append',
  recognise: (fs, history) => {
    if (fs.has('txn')) return fs.size === 1 && history.operations.every(isElleListTxn);
    if (fs.has('append')) return [...fs].every((f) => f === 'append' || f === 'read');
    return fs.size === 1 && fs.has('read') && readsOfLists(history);
  },
  prove: (history) => {
    const result = listAppendOrder(history, 'linearizable');
    if (result.holds === true) return { model: 'list-append', verdict: 'valid' };
    if (result.holds === false) return { model: 'list-append', verdict: 'invalid', refutation: result.evidence };
    return { model: 'list-append', verdict: 'unknown', refutation: { reason: result.reason } };
  },
  order: listAppendOrder,
  findings: (history) => [{ anomalies: checkListAppend(history).anomalies, inconclusive: [] }],
  levels: 'all',
} as const satisfies WorkloadDefinition;

/** Reads only, returning lists: nothing was appended (a register's reads return values, not lists). */
export function readsOfLists(history: History): boolean {
  let lists = 0;
  for (const op of history.operations) {
    if (op.result !== 'ok') continue;
    if (!Array.isArray(op.output) && op.output !== null) return false;
    if (Array.isArray(op.output)) lists++;
  }
  return lists > 0;
}

/** An Elle list-append txn: micro-ops named append or r (how many is the list-append reader's business). */
function isElleListTxn(op: Operation): boolean {
  const value: Value = op.input;
  if (!Array.isArray(value) || value.length === 0) return false;
  return value.every((micro: Value) => Array.isArray(micro) && (micro[0] === 'append' || micro[0] === 'r'));
}
