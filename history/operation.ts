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
}

/**
 * Pairs invocations with completions. Throws MalformedHistoryError for a completion with no invocation,
 * a second invocation on a busy process, a completion whose f differs from its invocation's, or (with
 * sortByTime) an event without a time.
 */
export function buildHistory(input: readonly Event[], options: PairOptions = {}): History {
  const order = options.sortByTime ? timeOrder(input) : undefined;
  const events = order ? order.map((i) => input[i]) : input;
  // Errors name the event's position in the input, wherever sorting moved it.
  const sourceIndex = (i: number) => (order ? order[i] : i);
  const operations: Operation[] = [];
  const markers: number[] = [];
  const pending = new Map<number, number>();
  const invocations: Event[] = [];

  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (!isClientProcess(event.process)) {
      markers.push(i);
      continue;
    }
    if (event.type === 'invoke') {
      const busy = pending.get(event.process);
      if (busy !== undefined) {
        throw new MalformedHistoryError(
          `process ${event.process} invokes ${event.f} while its ${invocations[busy].f} is still pending`,
          sourceIndex(i),
        );
      }
      pending.set(event.process, operations.length);
      invocations.push(event);
      operations.push(openOperation(operations.length, event, i));
      continue;
    }
    const opened = pending.get(event.process);
    if (opened === undefined) {
      throw new MalformedHistoryError(`process ${event.process} completes ${event.f} (:${event.type}) with no invocation pending`, sourceIndex(i));
    }
    if (invocations[opened].f !== event.f) {
      throw new MalformedHistoryError(
        `process ${event.process} completes ${event.f} but its pending invocation is ${invocations[opened].f}`,
        sourceIndex(i),
      );
    }
    pending.delete(event.process);
    operations[opened] = completeOperation(operations[opened], event, i);
  }
  return { events, operations, markers };
}

function openOperation(id: number, event: Event, index: number): Operation {
  return {
    id,
    process: event.process as number,
    f: event.f,
    ...(event.key !== undefined && { key: event.key }),
    input: event.value,
    output: event.value,
    result: 'info',
    invokeIndex: index,
    completeIndex: -1,
    ...(event.time !== undefined && { invokeTime: event.time }),
    ...(event.node !== undefined && { node: event.node }),
  };
}

function completeOperation(op: Operation, event: Event, index: number): Operation {
  const result = event.type as OpResult;
  return {
    ...op,
    // An indeterminate op's completion says nothing about what it did: keep what was asked.
    output: result === 'info' ? op.input : event.value,
    result,
    completeIndex: index,
    ...(event.time !== undefined && { completeTime: event.time }),
    ...(event.node !== undefined && { node: event.node }),
    ...(event.epoch !== undefined && { epoch: event.epoch }),
    ...(event.error !== undefined && { error: event.error }),
  };
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
