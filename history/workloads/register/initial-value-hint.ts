import type { History } from '../../operation.ts';
import type { Value } from '../../value.ts';
import { describeValue } from '../../value.ts';
import type { ValueId } from '../value-id.ts';
import { registerKeys, writersByValue } from './register.ts';

// Jepsen tests often start a register at a value (`(model/cas-register 0)`) that nothing in the history
// records. Checked from nil, such a history shows reads of a value nobody wrote. When every such read
// returns the same value, and on each key where one appears the first read does, the history most likely
// started from that value: the user is told so, and the verdict stays the one proved from the value used.

export interface InitialValueHint {
  readonly kind: 'initial-value';
  /** The value the history looks like it starts from. */
  readonly value: Value;
  /** Operation ids of the reads (and cas ops) that saw it. */
  readonly ops: readonly number[];
  readonly reason: string;
}

export function initialValueHint(history: History, initialValue: Value = null): InitialValueHint | undefined {
  let seen: { value: Value; id: ValueId } | undefined;
  const ops: number[] = [];
  let keys = 0;
  for (const part of registerKeys(history, { initialValue })) {
    const writers = writersByValue(part);
    const unwritten = part.reads.filter((read) => !writers.has(read.value) && !part.failedWrites.has(read.value));
    if (unwritten.length === 0) continue;
    if (part.reads[0].value !== unwritten[0].value) return undefined;
    for (const read of unwritten) {
      if (seen === undefined) {
        const op = history.operations[read.op];
        seen = { value: read.cas && Array.isArray(op.input) ? (op.input[0] ?? null) : op.output, id: read.value };
      }
      if (read.value !== seen.id) return undefined;
      ops.push(read.op);
    }
    keys++;
  }
  if (seen === undefined) return undefined;
  const value = describeValue(seen.value);
  const where = keys > 1 ? `on ${keys} keys, the first read of each key among them` : 'the first read among them';
  return {
    kind: 'initial-value',
    value: seen.value,
    ops,
    reason:
      `${ops.length} read${ops.length === 1 ? '' : 's'} saw ${value}, which no operation wrote (${where}): the history looks like it starts ` +
      `from ${value}, not ${describeValue(initialValue)}; the verdict is for ${describeValue(initialValue)}, and --initial-value ${value} checks it from ${value}`,
  };
}
