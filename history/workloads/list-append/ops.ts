import type { Key } from '../../event.ts';
import { InputError } from '../../input-error.ts';
import type { History, Operation } from '../../operation.ts';
import type { Value } from '../../value.ts';
import { describeValue } from '../../value.ts';
import type { FailedWrite } from '../failed-write-reason.ts';
import type { ValueId } from '../value-id.ts';
import { valueId } from '../value-id.ts';

// A list-append history key by key: appends of unique elements and reads of whole lists, from either
// shape Jepsen writes: `{f: "append", key, value: 5}` / `{f: "read", key, value: [1 5]}`, or Elle's
// single-micro-op transactions `{f: "txn", value: [["append", k, 5]]}` / `[["r", k, [1 5]]]`.
// An Elle txn under a jepsen.independent key gets the key "outer/inner".

interface ListAppend {
  readonly op: number;
  readonly element: ValueId;
  readonly invoke: number;
  /** Infinity for an indeterminate append, which may take effect at any later time or never. */
  readonly complete: number;
  readonly ok: boolean;
}

export interface ListRead {
  readonly op: number;
  readonly elements: readonly Value[];
  readonly invoke: number;
  readonly complete: number;
}

export interface ListAppendKey {
  readonly key?: Key;
  /** Appends that succeeded or may have, in invocation order. */
  readonly appends: readonly ListAppend[];
  /** Successful reads, in invocation order. */
  readonly reads: readonly ListRead[];
  /** Element -> the (earliest) failed append of it. */
  readonly failed: ReadonlyMap<ValueId, FailedWrite>;
}

type Micro =
  | { readonly f: 'append'; readonly key?: Key; readonly element: Value }
  | { readonly f: 'read'; readonly key?: Key; readonly list: Value };

/** Throws InputError for an operation list-append cannot take (multi-op txns, a read of a non-list, a repeated element). */
export function listAppendKeys(history: History): ListAppendKey[] {
  const parts = new Map<
    Key | undefined,
    { appends: ListAppend[]; reads: ListRead[]; failed: Map<ValueId, FailedWrite>; byElement: Map<ValueId, number> }
  >();
  for (const op of history.operations) {
    const micro = microOp(op);
    let part = parts.get(micro.key);
    if (!part) {
      part = { appends: [], reads: [], failed: new Map(), byElement: new Map() };
      parts.set(micro.key, part);
    }
    if (micro.f === 'read') {
      if (op.result === 'ok')
        part.reads.push({ op: op.id, elements: listOf(op, micro.list), invoke: op.invokeIndex, complete: op.completeIndex });
      continue;
    }
    const element = valueId(micro.element);
    if (op.result === 'fail') {
      if (!part.failed.has(element)) part.failed.set(element, { op: op.id, invoke: op.invokeIndex });
      continue;
    }
    const earlier = part.byElement.get(element);
    if (earlier !== undefined) {
      throw new InputError(
        `${describeValue(micro.element)} is appended twice${micro.key !== undefined ? ` to key ${micro.key}` : ''} (operations #${earlier} and #${op.id}, ` +
          `process ${op.process}): list-append needs every appended element to be unique`,
      );
    }
    part.byElement.set(element, op.id);
    const ok = op.result === 'ok';
    part.appends.push({ op: op.id, element, invoke: op.invokeIndex, complete: ok ? op.completeIndex : Infinity, ok });
  }
  return [...parts].map(([key, { appends, reads, failed }]) => ({ ...(key !== undefined && { key }), appends, reads, failed }));
}

function microOp(op: Operation): Micro {
  switch (op.f) {
    case 'append':
      return { f: 'append', ...(op.key !== undefined && { key: op.key }), element: op.input };
    case 'read':
      return { f: 'read', ...(op.key !== undefined && { key: op.key }), list: op.output };
    case 'txn':
      return txnMicroOp(op);
    default:
      throw new InputError(
        `operation #${op.id} (process ${op.process}) is ${op.f}; a list-append history has append, read and txn operations`,
      );
  }
}

function txnMicroOp(op: Operation): Micro {
  const micros = op.input;
  if (!Array.isArray(micros) || micros.length !== 1) {
    const count = Array.isArray(micros) ? `${micros.length} micro-ops` : describeValue(micros);
    throw new InputError(
      `operation #${op.id} (process ${op.process}) is a transaction of ${count}: multi-operation transactions are not supported; ` +
        'leaderlog checks list-append histories whose txns hold one [append k v] or [r k list] each',
    );
  }
  const [f, innerKey, argument] = micros[0] as readonly Value[];
  const key = txnKey(op, innerKey);
  if (f === 'append') return { f: 'append', ...(key !== undefined && { key }), element: argument ?? null };
  if (f !== 'r') throw new InputError(`operation #${op.id} (process ${op.process}) has micro-op ${describeValue(f)}; expected append or r`);
  const done = op.output;
  const list = Array.isArray(done) && Array.isArray(done[0]) ? ((done[0] as readonly Value[])[2] ?? null) : null;
  return { f: 'read', ...(key !== undefined && { key }), list };
}

function txnKey(op: Operation, inner: Value): Key | undefined {
  if (inner === undefined || inner === null) return op.key;
  const key = typeof inner === 'bigint' ? inner.toString() : inner;
  if (typeof key !== 'string' && typeof key !== 'number') {
    throw new InputError(`operation #${op.id} (process ${op.process}) names key ${describeValue(inner)}; keys are numbers or strings`);
  }
  return op.key === undefined ? key : `${op.key}/${key}`;
}

function listOf(op: Operation, list: Value): readonly Value[] {
  if (list === null) return [];
  if (Array.isArray(list)) return list;
  throw new InputError(`read #${op.id} (process ${op.process}) returned ${describeValue(list)}; a list-append read returns a list`);
}
