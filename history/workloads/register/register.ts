import type { Key } from '../../event.ts';
import type { History, Operation } from '../../operation.ts';
import type { Value } from '../../value.ts';
import type { FailedWrite } from '../failed-write-reason.ts';
import type { ValueId } from '../value-id.ts';
import { valueId } from '../value-id.ts';

// A register history in the terms the detectors and consistency checks need, key by key: who may
// have written each value and when, and what each read saw. A cas is both: it saw `old` and wrote `new`.
// Positions are History.events indices, so "a completed before b began" is `a.complete < b.invoke`.

/** The initial value's pseudo-write: complete before anything began. */
export const INITIAL_WRITE = -1;

interface RegisterWrite {
  /** Operation id. */
  readonly op: number;
  readonly value: ValueId;
  readonly invoke: number;
  /** Completion position; Infinity for an indeterminate (:info) write, which may land at any later time. */
  readonly complete: number;
  readonly ok: boolean;
}

interface RegisterRead {
  readonly op: number;
  readonly value: ValueId;
  readonly invoke: number;
  readonly complete: number;
  /** A successful cas: it saw `value` and wrote its new value at once. */
  readonly cas: boolean;
}

export interface RegisterKey {
  readonly key?: Key;
  /** Writes that happened or may have (ok and info; cas included), in invocation order. */
  readonly writes: readonly RegisterWrite[];
  /** Successful reads (and cas ops, as reads of their old value), in invocation order. */
  readonly reads: readonly RegisterRead[];
  /** Values only failed writes wrote: a read of one is explained by them. */
  readonly failedWrites: ReadonlyMap<ValueId, FailedWrite>;
  readonly initial: ValueId;
}

export interface RegisterOptions {
  /** The register's value before any write; nil (null) by default, as in Knossos. */
  readonly initialValue?: Value;
}

/** Splits a register history by key (one part, key undefined, when no op has a key). */
export function registerKeys(history: History, options: RegisterOptions = {}): RegisterKey[] {
  const initial = valueId(options.initialValue ?? null);
  const parts = new Map<Key | undefined, { writes: RegisterWrite[]; reads: RegisterRead[]; failedWrites: Map<ValueId, FailedWrite> }>();
  for (const op of history.operations) {
    let part = parts.get(op.key);
    if (!part) {
      part = { writes: [], reads: [], failedWrites: new Map() };
      parts.set(op.key, part);
    }
    addOperation(op, part.writes, part.reads, part.failedWrites);
  }
  return [...parts].map(([key, part]) => ({ ...(key !== undefined && { key }), ...part, initial }));
}

function addOperation(op: Operation, writes: RegisterWrite[], reads: RegisterRead[], failed: Map<ValueId, FailedWrite>): void {
  const ok = op.result === 'ok';
  const complete = ok ? op.completeIndex : Infinity;
  switch (op.f) {
    case 'read':
    case 'get':
      if (ok) reads.push({ op: op.id, value: valueId(op.output), invoke: op.invokeIndex, complete, cas: false });
      return;
    case 'write':
    case 'put':
      if (op.result === 'fail') addFailed(failed, op, op.input);
      else writes.push({ op: op.id, value: valueId(op.input), invoke: op.invokeIndex, complete, ok });
      return;
    case 'cas': {
      if (!Array.isArray(op.input) || op.input.length !== 2) return;
      const [from, to] = op.input as readonly Value[];
      if (op.result === 'fail') {
        addFailed(failed, op, to);
        return;
      }
      if (ok) reads.push({ op: op.id, value: valueId(from), invoke: op.invokeIndex, complete, cas: true });
      writes.push({ op: op.id, value: valueId(to), invoke: op.invokeIndex, complete, ok });
    }
  }
}

/** The earliest failed write of a value is the one a read of it most likely overlapped. */
function addFailed(failed: Map<ValueId, FailedWrite>, op: Operation, value: Value): void {
  const id = valueId(value);
  if (!failed.has(id)) failed.set(id, { op: op.id, invoke: op.invokeIndex });
}

/** The ids of writes (INITIAL_WRITE for the initial value) that could have produced each value. */
export function writersByValue(part: RegisterKey): Map<ValueId, number[]> {
  const writers = new Map<ValueId, number[]>();
  writers.set(part.initial, [INITIAL_WRITE]);
  part.writes.forEach((write, index) => {
    const list = writers.get(write.value);
    if (list) list.push(index);
    else writers.set(write.value, [index]);
  });
  return writers;
}

/** What a read saw: its output, or for a cas the value it compared against. */
export function seenValue(op: Operation, cas: boolean): Value {
  return cas && Array.isArray(op.input) ? (op.input[0] ?? null) : op.output;
}
