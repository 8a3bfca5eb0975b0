import type { Operation } from '../../operation.ts';
import type { Value } from '../../value.ts';
import { describeValue, valueEqual, valueKey } from '../../value.ts';
import type { Reading, Spec } from '../spec.ts';
import { hashString, hashValue } from '../value-hash.ts';
import { keyValueLookahead } from './key-value-lookahead.ts';

// One key of a key-value store, as etcd's and Porcupine's tests drive one: `get`, `put v`, `append s`
// (string concatenation) and `delete`; `read` and `write` are taken as get and put. Checked key by key.
//
// A key never written, or deleted, reads as the empty string or nil: stores differ in which they
// return (Porcupine's model starts every key at ""), and a history cannot tell the two apart, so the
// model does not either. Appending to an absent key appends to "".

export type KeyValueCall =
  /** `seen` is what the get returned; an indeterminate get saw nothing we know of. */
  | { readonly f: 'get'; readonly seen: Value; readonly known: boolean }
  | { readonly f: 'put'; readonly value: Value; readonly certain: boolean }
  | { readonly f: 'append'; readonly suffix: string; readonly certain: boolean }
  | { readonly f: 'delete'; readonly certain: boolean };

/** The key's value; "" for an absent key. */
export type KeyValueState = Value;

const ABSENT = '';
const ACCEPTS = ['get', 'put', 'append', 'delete', 'read', 'write'] as const;

export const keyValueSpec: Spec<KeyValueState, KeyValueCall> = {
  name: 'key-value',
  accepts: ACCEPTS,
  read: readCall,
  droppable,
  readOnly: (call) => call.f === 'get',
  callKey,
  init: () => ABSENT,
  step,
  equal: valueEqual,
  // Most states are strings: hashed as they are, not through a quoted copy.
  hash: (state) => (typeof state === 'string' ? hashString(state) : hashValue(state)),
  describe: (state) => describeValue(state),
  describeCall,
  lookahead: keyValueLookahead,
};

/** nil and "" are one value here: an absent key. */
function stored(value: Value): Value {
  return value === null ? ABSENT : value;
}

function readCall(op: Operation): Reading<KeyValueCall> {
  const certain = op.result !== 'info';
  switch (op.f) {
    case 'get':
    case 'read':
      return { call: { f: 'get', seen: certain ? stored(op.output) : ABSENT, known: certain } };
    case 'put':
    case 'write':
      return { call: { f: 'put', value: stored(op.input), certain } };
    case 'append':
      if (typeof op.input !== 'string')
        return { problem: `append expects a string to add to the key's value, got ${describeValue(op.input)}` };
      return { call: { f: 'append', suffix: op.input, certain } };
    case 'delete':
      return { call: { f: 'delete', certain } };
    default:
      return { problem: `key-value has no operation ${op.f}` };
  }
}

function step(state: KeyValueState, call: KeyValueCall): KeyValueState | undefined {
  switch (call.f) {
    case 'get':
      return !call.known || valueEqual(state, call.seen) ? state : undefined;
    case 'put':
      return call.value;
    case 'append':
      // A store cannot append text to a number or a list: the append cannot have taken effect there.
      return typeof state === 'string' ? state + call.suffix : undefined;
    case 'delete':
      return ABSENT;
  }
}

/**
 * An indeterminate get constrains nothing. An indeterminate put or append of a string that no get's
 * value contains cannot matter either: had it taken effect, every get until the next put or delete
 * would contain that string (appends only add to the end), so none came before one, and removing it
 * changes no observed state. That holds while every value is a string (an append to a number fails,
 * so a put could matter by enabling appends); otherwise only indeterminate gets are dropped.
 */
function droppable(calls: readonly KeyValueCall[]): boolean[] {
  const seen: string[] = [];
  let allStrings = true;
  for (const call of calls) {
    if (call.f === 'get' && call.known) {
      if (typeof call.seen === 'string') seen.push(call.seen);
      else allStrings = false;
    }
    if (call.f === 'put' && typeof call.value !== 'string') allStrings = false;
  }
  const observed = (text: string) => seen.some((value) => value.includes(text));
  // biome-ignore lint/suspicious/useIterableCallbackReturn: the switch is exhaustive over call.f and every case returns; tsc checks that
  return calls.map((call) => {
    switch (call.f) {
      case 'get':
        return !call.known;
      case 'put':
        return allStrings && !call.certain && typeof call.value === 'string' && !observed(call.value);
      case 'append':
        return allStrings && !call.certain && !observed(call.suffix);
      case 'delete':
        return false;
    }
  });
}

function callKey(call: KeyValueCall): string {
  switch (call.f) {
    case 'get':
      return call.known ? `get ${valueKey(call.seen)}` : 'get';
    case 'put':
      return `put ${valueKey(call.value)}`;
    case 'append':
      return `append ${JSON.stringify(call.suffix)}`;
    case 'delete':
      return 'delete';
  }
}

function describeCall(call: KeyValueCall): string {
  const maybe = 'certain' in call && !call.certain ? 'maybe ' : '';
  switch (call.f) {
    case 'get':
      return call.known ? `get ${describeValue(call.seen)}` : 'get (result unknown)';
    case 'put':
      return `${maybe}put ${describeValue(call.value)}`;
    case 'append':
      return `${maybe}append ${describeValue(call.suffix)}`;
    case 'delete':
      return `${maybe}delete`;
  }
}
