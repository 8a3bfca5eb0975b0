import type { Event, Key } from './event.ts';
import { isClientProcess } from './event.ts';
import { MalformedHistoryError } from './input-error.ts';
import type { Value } from './value.ts';

/**
 * - ok: it happened, between its invocation and completion;
 * - fail: it certainly did not happen;
 * - info: it may have happened at any point after its invocation, or never (also an invocation with
 *   no completion at all).
 */
export type OpResult = 'ok' | 'fail' | 'info';

/** A client operation: an invocation paired with its completion. */
export interface Operation {
  /** Dense, 0.. in invocation order. */
  readonly id: number;
  readonly process: number;
  readonly f: string;
  readonly key?: Key;
  /** The invocation's value: what was asked (the written value, the cas pair; nil for a read). */
  readonly input: Value;
  /** The completion's value: what was observed (the read value); the input when there is none. */
  readonly output: Value;
  readonly result: OpResult;
  /** Position of the invocation in History.events: real-time order. */
  readonly invokeIndex: number;
  /** Position of the completion in History.events; -1 when the history never completes it. */
  readonly completeIndex: number;
  readonly invokeTime?: number;
  readonly completeTime?: number;
  readonly node?: string;
  readonly epoch?: number;
  readonly error?: Value;
}

export interface History {
  /** Every event, in real-time order. */
  readonly events: readonly Event[];
  /** Client operations, in invocation order. */
  readonly operations: readonly Operation[];
  /** Positions in `events` of non-client events (nemesis faults, role annotations): shown, never checked. */
  readonly markers: readonly number[];
}

export interface PairOptions {
  /** Order events by `time` instead of by position (histories merged from several recorders). */
  readonly sortByTime?: boolean;
  /**
   * Called every so often with how many events are paired: throws to stop a pairing that would fill
   * the heap (memory-guard.ts's phaseGuard) before Node aborts.
   */
  readonly guard?: (paired: number) => void;
}

/** How many events are paired between two looks at the heap. */
const GUARD_EVERY = 1 << 16;

/**
 * Pairs invocations with completions. Throws MalformedHistoryError for a completion with no invocation,
 * a second invocation on a busy process, a completion whose f differs from its invocation's, or (with
 * sortByTime) an event without a time.
 */
export function buildHistory(input: readonly Event[], options: PairOptions = {}): History {
  const order = options.sortByTime ? timeOrder(input) : undefined;
  const events = order ? order.map((i) => input[i]) : input;
  const completions = pairEvents(events, (i) => (order ? order[i] : i));
  const operations: Operation[] = [];
  const markers: number[] = [];
  const { guard } = options;
  for (let i = 0; i < events.length; i++) {
    if (guard && i % GUARD_EVERY === 0) guard(i);
    if (!isClientProcess(events[i].process)) markers.push(i);
    else if (events[i].type === 'invoke') operations.push(makeOperation(operations.length, events, i, completions[i]));
  }
  return { events, operations, markers };
}

/** For each invocation's position, its completion's (-1: none); throws on malformed pairs. */
function pairEvents(events: readonly Event[], sourceIndex: (i: number) => number): Int32Array {
  const completions = new Int32Array(events.length).fill(-1);
  const pending = new Map<number, number>();
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (!isClientProcess(event.process)) continue;
    const open = pending.get(event.process);
    if (event.type === 'invoke') {
      if (open !== undefined) {
        throw new MalformedHistoryError(
          `process ${event.process} invokes ${event.f} while its ${events[open].f} is still pending`,
          sourceIndex(i),
        );
      }
      pending.set(event.process, i);
      continue;
    }
    if (open === undefined) {
      throw new MalformedHistoryError(
        `process ${event.process} completes ${event.f} (:${event.type}) with no invocation pending`,
        sourceIndex(i),
      );
    }
    if (events[open].f !== event.f) {
      throw new MalformedHistoryError(
        `process ${event.process} completes ${event.f} but its pending invocation is ${events[open].f}`,
        sourceIndex(i),
      );
    }
    pending.delete(event.process);
    completions[open] = i;
  }
  return completions;
}

// Optional fields are assigned only when present, so an operation holds exactly what its events said.
function makeOperation(id: number, events: readonly Event[], invokeIndex: number, completeIndex: number): Operation {
  const invocation = events[invokeIndex];
  const completion = completeIndex >= 0 ? events[completeIndex] : undefined;
  const result: OpResult = completion ? (completion.type as OpResult) : 'info';
  const process = invocation.process as number;
  const f = invocation.f;
  const input = invocation.value;
  // An indeterminate op's completion says nothing about what it did: keep what was asked.
  const output = completion && result !== 'info' ? completion.value : invocation.value;
  const invokeTime = invocation.time;
  const completeTime = completion?.time;
  // Both times (the common case) in the literal, so they sit inside the object: fields added later
  // live in a separate property array, some 40 bytes more per operation of a history of millions.
  const op: { -readonly [K in keyof Operation]: Operation[K] } =
    invokeTime !== undefined && completeTime !== undefined
      ? { id, process, f, input, output, result, invokeIndex, completeIndex, invokeTime, completeTime }
      : { id, process, f, input, output, result, invokeIndex, completeIndex };
  if (invokeTime !== undefined && completeTime === undefined) op.invokeTime = invokeTime;
  if (invokeTime === undefined && completeTime !== undefined) op.completeTime = completeTime;
  if (invocation.key !== undefined) op.key = invocation.key;
  const node = completion?.node ?? invocation.node;
  if (node !== undefined) op.node = node;
  if (completion?.epoch !== undefined) op.epoch = completion.epoch;
  if (completion?.error !== undefined) op.error = completion.error;
  return op;
}

function timeOrder(events: readonly Event[]): number[] {
  const order = events.map((_, i) => i);
  for (const i of order) {
    if (events[i].time === undefined) {
      throw new MalformedHistoryError('sorting by time needs every event to have a time; this one has none', i);
    }
  }
  order.sort((a, b) => (events[a].time as number) - (events[b].time as number) || a - b);
  return order;
}

/** Whether an operation writes (a txn does unless every micro-op reads): only writes show a node acting as leader, or lose data. */
export function isWrite(op: Operation): boolean {
  if (op.f === 'read' || op.f === 'r') return false;
  if (op.f === 'txn' && Array.isArray(op.input))
    return !op.input.every((micro) => Array.isArray(micro) && (micro[0] === 'r' || micro[0] === 'read'));
  return true;
}
