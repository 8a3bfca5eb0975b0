import type { Key } from '../../event.ts';
import { MalformedHistoryError } from '../../input-error.ts';
import type { Operation } from '../../operation.ts';

// Keyed (jepsen.independent) workloads: each key is its own object, and a history is linearizable
// exactly when each key's sub-history is (P-compositionality), so keys are checked one by one.

export interface KeyPartition {
  readonly key: Key;
  /** In invocation order. */
  readonly operations: readonly Operation[];
}

/** Splits operations by key, keys in order of first appearance; every operation must have a key. */
export function partitionByKey(operations: readonly Operation[]): KeyPartition[] {
  const byKey = new Map<Key, Operation[]>();
  for (const op of operations) {
    if (op.key === undefined) {
      throw new MalformedHistoryError(
        `a keyed model needs a key on every operation; process ${op.process}'s ${op.f} has none`,
        op.invokeIndex,
      );
    }
    let ops = byKey.get(op.key);
    if (!ops) {
      ops = [];
      byKey.set(op.key, ops);
    }
    ops.push(op);
  }
  return [...byKey].map(([key, ops]) => ({ key, operations: ops }));
}

export function keyedName(base: string): string {
  return `keyed ${base}`;
}
