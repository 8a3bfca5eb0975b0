import type { Anomaly } from '../../anomaly.ts';
import type { Key } from '../../event.ts';
import type { History, Operation } from '../../operation.ts';
import { describeValue } from '../../value.ts';

// Lost writes in a key-value history of string appends: an acknowledged append whose text the key's
// final get no longer holds. Appends only add to the end, so once an append takes effect its text stays
// in the value until a put or delete replaces it; when none could come after the append, a get that
// began after the append completed and lacks the text proves the append lost. (A text found in the value
// is never doubted: it may be there by another append's doing, and silence is no proof.)

export function lostAppends(history: History): Anomaly[] {
  const byKey = new Map<Key | undefined, Operation[]>();
  for (const op of history.operations) {
    const ops = byKey.get(op.key);
    if (ops) ops.push(op);
    else byKey.set(op.key, [op]);
  }
  const anomalies: Anomaly[] = [];
  for (const [key, ops] of byKey) {
    const gets = ops.filter((op) => op.f === 'get' && op.result === 'ok');
    const final = gets[gets.length - 1];
    if (!final || (typeof final.output !== 'string' && final.output !== null)) continue;
    const value = final.output ?? '';
    // When the last put or delete that could come after an append ended: an append invoked after it.
    let replacedUntil = -1;
    for (const op of ops) {
      if ((op.f === 'put' || op.f === 'delete') && op.result !== 'fail') {
        replacedUntil = Math.max(replacedUntil, op.result === 'ok' ? op.completeIndex : Infinity);
      }
    }
    for (const append of ops) {
      if (append.f !== 'append' || append.result !== 'ok' || typeof append.input !== 'string' || append.input === '') continue;
      if (append.invokeIndex < replacedUntil || append.completeIndex > final.invokeIndex || value.includes(append.input)) continue;
      anomalies.push({
        kind: 'lost-write',
        ...(key !== undefined && { key }),
        ops: [append.id, final.id],
        reason: `append #${append.id} of ${describeValue(append.input)} was acknowledged, but the final get #${final.id} (${describeValue(final.output)}), begun after it, does not hold it: the append was lost`,
      });
    }
  }
  return anomalies;
}
