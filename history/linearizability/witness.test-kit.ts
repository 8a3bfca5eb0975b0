import type { Operation } from '../operation.ts';
import type { Model } from './model-choice.ts';

// Checks a claimed linearization on its own: a valid verdict is only as good as its witness. Tests hold
// every valid verdict to this, so a search that said valid without a real linearization would be caught.

/** Why `order` (operation ids) is not a linearization of `operations`, or undefined if it is one. */
export function witnessProblem(model: Model, operations: readonly Operation[], order: readonly number[]): string | undefined {
  const byId = new Map(operations.map((op) => [op.id, op]));
  const placed = new Set<number>();
  let state = model.spec.init();
  for (const id of order) {
    const op = byId.get(id);
    if (!op) return `operation ${id} is not in the partition`;
    if (op.result === 'fail') return `operation ${id} failed, so it cannot take effect`;
    if (placed.has(id)) return `operation ${id} is placed twice`;
    const reading = model.spec.read(op);
    if (!('call' in reading)) return reading.problem;
    const after = model.spec.step(state, reading.call);
    if (after === undefined)
      return `operation ${id} (${model.spec.describeCall(reading.call)}) cannot follow state ${model.spec.describe(state)}`;
    state = after;
    placed.add(id);
  }
  for (const op of operations) {
    if (op.result === 'ok' && !placed.has(op.id)) return `ok operation ${op.id} is left out`;
  }
  // Real time: nothing placed before an op may have been invoked after that op completed.
  const position = new Map(order.map((id, i) => [id, i]));
  for (const a of operations) {
    for (const b of operations) {
      if (a.result !== 'ok' || !position.has(a.id) || !position.has(b.id)) continue;
      if (a.completeIndex < b.invokeIndex && (position.get(a.id) as number) > (position.get(b.id) as number)) {
        return `operation ${b.id} is placed before ${a.id}, which completed before it was invoked`;
      }
    }
  }
  return undefined;
}
