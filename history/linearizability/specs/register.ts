import type { Operation } from '../../operation.ts';
import type { Value } from '../../value.ts';
import { describeValue, valueEqual, valueKey } from '../../value.ts';
import type { Reading, Spec } from '../spec.ts';
import { hashValue } from '../value-hash.ts';

// One register holding a value (nil at first, or the initial value it is started at). The plain register takes reads and writes; the
// cas-register adds compare-and-set, `:cas [old new]`. Both share this file because they share their
// calls and states: a register is a cas-register that is never asked to cas. A key-value store's `get`
// and `put` are taken as read and write.

export type RegisterCall =
  /** `seen` is what the read returned; an indeterminate read saw nothing we know of. */
  | { readonly f: 'read'; readonly seen: Value; readonly known: boolean }
  | { readonly f: 'write'; readonly value: Value; readonly certain: boolean }
  | { readonly f: 'cas'; readonly from: Value; readonly to: Value; readonly certain: boolean }
  /** A failed cas, read as an observation (check's failedCas 'observe'): the value was not `from`. */
  | { readonly f: 'cas-failed'; readonly from: Value; readonly to: Value };

export type RegisterSpec = Spec<Value, RegisterCall>;

export const registerSpec: RegisterSpec = registerFamily('register', ['read', 'write', 'get', 'put']);
export const casRegisterSpec: RegisterSpec = registerFamily('cas-register', ['read', 'write', 'cas', 'get', 'put']);

function registerFamily(name: string, accepts: readonly string[], initial: Value = null): RegisterSpec {
  return {
    name,
    accepts,
    read: (op) => (accepts.includes(op.f) ? readCall(op) : { problem: `${name} has no operation ${op.f}` }),
    droppable,
    // A cas [v v] reads too: it changes nothing wherever it can take effect.
    readOnly: (call) => call.f === 'read' || call.f === 'cas-failed' || (call.f === 'cas' && valueEqual(call.from, call.to)),
    callKey,
    init: () => initial,
    startingAt: (value) => registerFamily(name, accepts, value),
    step,
    equal: valueEqual,
    hash: hashValue,
    describe: (state) => describeValue(state),
    describeCall,
  };
}

function readCall(op: Operation): Reading<RegisterCall> {
  const certain = op.result !== 'info';
  switch (op.f) {
    case 'read':
    case 'get':
      return { call: { f: 'read', seen: certain ? op.output : null, known: certain } };
    case 'write':
    case 'put':
      return { call: { f: 'write', value: op.input, certain } };
    default: {
      const pair = op.input;
      if (!Array.isArray(pair) || pair.length !== 2) {
        return { problem: `cas expects [old new], got ${describeValue(pair)}` };
      }
      if (op.result === 'fail') return { call: { f: 'cas-failed', from: pair[0], to: pair[1] } };
      return { call: { f: 'cas', from: pair[0], to: pair[1], certain } };
    }
  }
}

function step(state: Value, call: RegisterCall): Value | undefined {
  switch (call.f) {
    case 'read':
      return !call.known || valueEqual(state, call.seen) ? state : undefined;
    case 'write':
      return call.value;
    case 'cas':
      return valueEqual(state, call.from) ? call.to : undefined;
    case 'cas-failed':
      return valueEqual(state, call.from) ? undefined : state;
  }
}

/**
 * An indeterminate read constrains nothing. An indeterminate write (or cas) of a value no call ever
 * observes (no read returns it, no cas expects it) cannot matter either: whatever follows it in a
 * linearization until the next write would have to observe that value, so removing it changes no step.
 */
function droppable(calls: readonly RegisterCall[]): boolean[] {
  // A failed cas read as an observation sees that the value differed: any write may be what it saw.
  const differences = calls.some((call) => call.f === 'cas-failed');
  const observed = new Set<string>();
  for (const call of calls) {
    if (call.f === 'read' && call.known) observed.add(valueKey(call.seen));
    if (call.f === 'cas') observed.add(valueKey(call.from));
  }
  // biome-ignore lint/suspicious/useIterableCallbackReturn: the switch is exhaustive over call.f and every case returns; tsc checks that
  return calls.map((call) => {
    switch (call.f) {
      case 'read':
        return !call.known;
      case 'write':
        return !differences && !call.certain && !observed.has(valueKey(call.value));
      case 'cas':
        return !differences && !call.certain && !observed.has(valueKey(call.to));
      case 'cas-failed':
        return false;
    }
  });
}

function callKey(call: RegisterCall): string {
  switch (call.f) {
    case 'read':
      return call.known ? `read ${valueKey(call.seen)}` : 'read';
    case 'write':
      return `write ${valueKey(call.value)}`;
    case 'cas':
      return `cas ${valueKey(call.from)} ${valueKey(call.to)}`;
    case 'cas-failed':
      return `not ${valueKey(call.from)}`;
  }
}

function describeCall(call: RegisterCall): string {
  switch (call.f) {
    case 'read':
      return call.known ? `read ${describeValue(call.seen)}` : 'read (result unknown)';
    case 'write':
      return `${call.certain ? '' : 'maybe '}write ${describeValue(call.value)}`;
    case 'cas':
      return `${call.certain ? '' : 'maybe '}cas ${describeValue(call.from)} -> ${describeValue(call.to)}`;
    case 'cas-failed':
      return `failed cas ${describeValue(call.from)} -> ${describeValue(call.to)} (the value was not ${describeValue(call.from)})`;
  }
}
