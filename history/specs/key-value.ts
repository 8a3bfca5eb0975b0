import type { Operation } from '../operation.ts';
import type { Reading, Spec, TimedCall } from '../spec.ts';
import type { Value } from '../value.ts';
import { describeValue, valueEqual, valueKey } from '../value.ts';
import { hashValue } from '../value-hash.ts';

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
  hash: hashValue,
  describe: (state) => describeValue(state),
  describeCall,
  lookahead,
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
      if (typeof op.input !== 'string') return { problem: `append expects a string to add to the key's value, got ${describeValue(op.input)}` };
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

/**
 * Appends only add to the end, so between puts and deletes the value only grows. A get still to come
 * sees the present value extended, or the value of a put or delete still to come (invoked before the
 * get completed) extended: it must begin with one of them. If some get can begin with none, no order of
 * what remains can save this state. This keeps many concurrent appends from being tried in every order:
 * a wrong order is refused as soon as it is made, not when the get that shows it is reached.
 */
function lookahead(calls: readonly TimedCall<KeyValueCall>[]): (state: KeyValueState, pending: (index: number) => boolean) => boolean {
  const gets: { readonly index: number; readonly seen: string; readonly complete: number }[] = [];
  /** Puts and deletes, in invocation order; `value` undefined for a put of a non-string (it may lead anywhere). */
  const resets: { readonly index: number; readonly invoke: number; readonly value: string | undefined }[] = [];
  calls.forEach(({ call, invoke, complete }, index) => {
    if (call.f === 'get' && call.known && complete >= 0 && typeof call.seen === 'string') gets.push({ index, seen: call.seen, complete });
    if (call.f === 'delete') resets.push({ index, invoke, value: ABSENT });
    if (call.f === 'put') resets.push({ index, invoke, value: typeof call.value === 'string' ? call.value : undefined });
  });
  // Whether a get is rescued depends only on which resets are pending, which changes seldom: remembered
  // until it does.
  const pendingResets = new Int32Array(resets.length);
  let pendingCount = -1;
  const rescuedStamp = new Int32Array(gets.length);
  const rescuedKnown = new Uint8Array(gets.length);
  let resetEpoch = 0;
  const noteResets = (pending: (index: number) => boolean): void => {
    let count = 0;
    let changed = false;
    for (let r = 0; r < resets.length; r++) {
      if (!pending(resets[r].index)) continue;
      if (pendingResets[count] !== r) changed = true;
      pendingResets[count++] = r;
    }
    if (changed || count !== pendingCount) resetEpoch++;
    pendingCount = count;
  };
  const rescued = (g: number): boolean => {
    if (rescuedStamp[g] === resetEpoch) return rescuedKnown[g] === 1;
    const get = gets[g];
    let result = false;
    for (let k = 0; k < pendingCount && !result; k++) {
      const reset = resets[pendingResets[k]];
      if (reset.invoke > get.complete) break;
      result = reset.value === undefined || get.seen.startsWith(reset.value);
    }
    rescuedStamp[g] = resetEpoch;
    rescuedKnown[g] = result ? 1 : 0;
    return result;
  };
  const begins = prefixTest(gets.map((get) => get.seen));
  return (state, pending) => {
    if (typeof state !== 'string') return false;
    noteResets(pending);
    const starts = begins(state);
    for (let g = 0; g < gets.length; g++) {
      if (pending(gets[g].index) && !starts(g) && !rescued(g)) return true;
    }
    return false;
  };
}

/** How many shorter values prefixTest looks back over for one that a value extends. */
const CHAIN_LOOKBACK = 8;

/**
 * For a state, whether each of `values` begins with it, cheaply: the gets of one key mostly see one
 * growing string, so each value is linked to a shorter one it extends, and a state no longer than that
 * one begins the value exactly when it begins the shorter one. One real comparison per chain and state.
 */
function prefixTest(values: readonly string[]): (state: string) => (index: number) => boolean {
  const byLength = values.map((_, i) => i).sort((a, b) => values[a].length - values[b].length);
  const extended = new Int32Array(values.length).fill(-1);
  byLength.forEach((j, at) => {
    for (let back = at - 1; back >= 0 && back >= at - CHAIN_LOOKBACK; back--) {
      if (values[j].startsWith(values[byLength[back]])) {
        extended[j] = byLength[back];
        break;
      }
    }
  });
  const stamp = new Int32Array(values.length);
  const known = new Uint8Array(values.length);
  let epoch = 0;
  return (state) => {
    const now = ++epoch;
    const starts = (j: number): boolean => {
      if (stamp[j] === now) return known[j] === 1;
      const shorter = extended[j];
      const result =
        shorter >= 0 && state.length <= values[shorter].length ? starts(shorter) : values[j].length >= state.length && values[j].startsWith(state);
      stamp[j] = now;
      known[j] = result ? 1 : 0;
      return result;
    };
    return starts;
  };
}
