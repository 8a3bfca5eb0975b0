import type { Operation } from '../operation.ts';
import type { Value } from '../value.ts';
import { describeValue, isValueObject } from '../value.ts';

// An operation for a person (one line on a terminal) and for a machine (JSON-able data), as every
// explanation shows the operations that prove it: process, f, key, value, result, node, epoch, times.

/** JSON has no bigint: integers beyond 2^53 become their decimal strings. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [field: string]: JsonValue };

export function jsonValue(value: Value): JsonValue {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(jsonValue);
  if (value !== null && isValueObject(value)) {
    const out: { [field: string]: JsonValue } = {};
    for (const [field, inner] of Object.entries(value)) out[field] = jsonValue(inner);
    return out;
  }
  return value as JsonValue;
}

export interface OperationJson {
  readonly id: number;
  readonly process: number;
  readonly f: string;
  readonly key?: string | number;
  /** What was asked (the written value, the cas pair; nil for a read). */
  readonly input: JsonValue;
  /** What was observed (the read value); the input when the completion carries nothing. */
  readonly output: JsonValue;
  readonly result: Operation['result'];
  readonly node?: string;
  readonly epoch?: number;
  readonly error?: JsonValue;
  /** Positions in the history's events (real-time order); completeIndex -1 if never completed. */
  readonly invokeIndex: number;
  readonly completeIndex: number;
  readonly invokeTime?: number;
  readonly completeTime?: number;
}

export function operationJson(op: Operation): OperationJson {
  return {
    id: op.id,
    process: op.process,
    f: op.f,
    ...(op.key !== undefined && { key: op.key }),
    input: jsonValue(op.input),
    output: jsonValue(op.output),
    result: op.result,
    ...(op.node !== undefined && { node: op.node }),
    ...(op.epoch !== undefined && { epoch: op.epoch }),
    ...(op.error !== undefined && { error: jsonValue(op.error) }),
    invokeIndex: op.invokeIndex,
    completeIndex: op.completeIndex,
    ...(op.invokeTime !== undefined && { invokeTime: op.invokeTime }),
    ...(op.completeTime !== undefined && { completeTime: op.completeTime }),
  };
}

/** `#4 (process 1 read 2)`: enough to follow an explanation. */
export function operationBrief(op: Operation): string {
  return `#${op.id} (process ${op.process} ${op.f} ${describeValue(shownValue(op), 30)})`;
}

/**
 * What a history's `time` fields count; the history itself does not say. leaderlog's JSON Lines, Jepsen's
 * EDN and log lines and the recorders give nanoseconds (history/FORMATS.md); the model gives its logical
 * steps. Left unstated, times are shown as the bare numbers they are.
 */
export type TimeUnit = 'nanoseconds' | 'steps';

export interface TimeOptions {
  readonly timeUnit?: TimeUnit;
}

/**
 * One line with everything known: `#4  process 1  read -> 2  ok  key x  node n2  epoch 3  events 7-9  t 1.204000-1.206000 s`.
 * Where an operation is, is its positions in the history's events (its invocation and completion): they
 * are the real-time order every check uses. Its times, when the events have them, only supplement them,
 * in the unit the caller knows them to be in (as bare numbers when it does not say).
 */
export function operationLine(op: Operation, options: TimeOptions = {}): string {
  const parts = [`#${op.id}`, `process ${op.process}`, whatItDid(op), resultWord(op)];
  if (op.key !== undefined) parts.push(`key ${op.key}`);
  if (op.node !== undefined) parts.push(`node ${op.node}`);
  if (op.epoch !== undefined) parts.push(`epoch ${op.epoch}`);
  if (op.error !== undefined) parts.push(`error ${describeValue(op.error, 40)}`);
  parts.push(`events ${op.invokeIndex}-${op.completeIndex < 0 ? '?' : op.completeIndex}`);
  if (op.invokeTime !== undefined)
    parts.push(timeSpan(op.invokeTime, op.completeIndex < 0 ? undefined : op.completeTime, options.timeUnit));
  return parts.join('  ');
}

/** `t 1.204000-1.206000 s`, `steps 12-15`, `time 12-15` (unit unknown); `?` for an end not known. */
export function timeSpan(start: number, end: number | undefined, unit: TimeUnit | undefined): string {
  if (unit === 'nanoseconds') {
    const scale = nanosScale(Math.max(Math.abs(start), Math.abs(end ?? 0)));
    return `t ${scale.show(start)}-${end === undefined ? '?' : scale.show(end)} ${scale.name}`;
  }
  return `${unit === 'steps' ? 'steps' : 'time'} ${start}-${end ?? '?'}`;
}

/** `t 1.204000 s`, `step 12`, `time 12`. */
export function timePoint(time: number, unit: TimeUnit | undefined): string {
  if (unit === 'nanoseconds') {
    const scale = nanosScale(Math.abs(time));
    return `t ${scale.show(time)} ${scale.name}`;
  }
  return `${unit === 'steps' ? 'step' : 'time'} ${time}`;
}

/** The largest unit a time reaches, with enough decimals to tell apart operations microseconds apart. */
function nanosScale(largest: number): { name: string; show: (nanos: number) => string } {
  const [name, per, decimals]: [string, number, number] =
    largest >= 1e9 ? ['s', 1e9, 6] : largest >= 1e6 ? ['ms', 1e6, 3] : largest >= 1e3 ? ['µs', 1e3, 3] : ['ns', 1, 0];
  return { name, show: (nanos) => (nanos / per).toFixed(decimals) };
}

function whatItDid(op: Operation): string {
  const observed = op.result === 'ok' && !sameValue(op.input, op.output) ? ` -> ${describeValue(op.output)}` : '';
  if (op.f === 'read' && op.input === null) return op.result === 'ok' ? `read -> ${describeValue(op.output)}` : 'read';
  return `${op.f} ${describeValue(op.input)}${observed}`;
}

function resultWord(op: Operation): string {
  if (op.result === 'info')
    return op.completeIndex < 0 ? 'info (never completed: may or may not have happened)' : 'info (may or may not have happened)';
  return op.result === 'fail' ? 'fail (did not happen)' : 'ok';
}

function shownValue(op: Operation): Value {
  return op.f === 'read' && op.result === 'ok' ? op.output : op.input;
}

function sameValue(a: Value, b: Value): boolean {
  return a === b || describeValue(a, Infinity) === describeValue(b, Infinity);
}
