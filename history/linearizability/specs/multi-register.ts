import type { Operation } from '../../operation.ts';
import type { Value } from '../../value.ts';
import { describeValue, valueEqual, valueKey } from '../../value.ts';
import type { Reading, Spec } from '../spec.ts';
import { hashString, hashValue, mix32 } from '../value-hash.ts';

// Several named registers changed by small transactions: Knossos' `:txn` ops whose value is a list of
// micro-ops `[:read k v]` and `[:write k v]` (Elle's rw-register writes them `[:r k v]`, `[:w k v]`),
// applied in order, atomically.
//
// A register's initial value is unknown until the first operation that touches it: a first read pins it
// to what it saw. Knossos is told the initial values out of band (its multi-register history starts at
// x = 0, y = 0 and is linearizable only from there); a history file does not say them, and "for some
// initial values" is the claim the file can support, unless the user says the value every register
// starts at (startingAt), which a first read must then see.

type MicroOp =
  | { readonly f: 'read'; readonly register: string; readonly name: Value; readonly seen: Value }
  | { readonly f: 'write'; readonly register: string; readonly name: Value; readonly value: Value };

export interface MultiRegisterCall {
  /** An indeterminate transaction keeps only its writes: what it read is unknown. */
  readonly ops: readonly MicroOp[];
  readonly certain: boolean;
}

/** Register (by valueKey of its name) -> value; a register not yet touched is absent. */
export type MultiRegisterState = ReadonlyMap<string, { readonly name: Value; readonly value: Value }>;

export const multiRegisterSpec: Spec<MultiRegisterState, MultiRegisterCall> = multiRegister();

/** `initial` boxed: absent means "pinned by the first read", which no value can stand for. */
function multiRegister(initial?: { readonly value: Value }): Spec<MultiRegisterState, MultiRegisterCall> {
  return {
    name: 'multi-register',
    accepts: ['txn'],
    read: readCall,
    droppable: (calls) => calls.map((call) => call.ops.length === 0),
    // A read pins an untouched register, but a register once pinned stays so: a transaction of reads that
    // changes nothing now changes nothing later.
    readOnly: (call) => call.ops.every((op) => op.f === 'read'),
    callKey: (call) => call.ops.map((op) => `${op.f} ${op.register} ${valueKey(op.f === 'read' ? op.seen : op.value)}`).join(' '),
    init: () => new Map(),
    startingAt: (value) => multiRegister({ value }),
    step: (state, call) => step(state, call, initial),
    equal,
    hash,
    describe,
    describeCall: (call) =>
      `${call.certain ? '' : 'maybe '}txn ${call.ops.map((op) => `[${op.f} ${describeValue(op.name)} ${describeValue(op.f === 'read' ? op.seen : op.value)}]`).join(' ')}`,
  };
}

/** Knossos names micro-ops read and write, Elle's rw-register r and w (keywords or, in JSON, strings). */
const MICRO_OP_NAMES: ReadonlyMap<Value, 'read' | 'write'> = new Map([
  ['read', 'read'],
  ['write', 'write'],
  ['r', 'read'],
  ['w', 'write'],
]);

function readCall(op: Operation): Reading<MultiRegisterCall> {
  if (op.f !== 'txn') return { problem: `multi-register has no operation ${op.f}` };
  const certain = op.result === 'ok';
  const micro = certain ? op.output : op.input;
  if (!Array.isArray(micro)) return { problem: `txn expects a list of [f register value], got ${describeValue(micro)}` };
  const ops: MicroOp[] = [];
  for (const item of micro as readonly Value[]) {
    const f = Array.isArray(item) && item.length === 3 ? MICRO_OP_NAMES.get(item[0] as Value) : undefined;
    if (f === undefined) {
      return {
        problem: `txn micro-ops are [:read register value] or [:write register value] (or Elle's [:r k v], [:w k v]), got ${describeValue(item)}`,
      };
    }
    const [, name, value] = item as readonly Value[];
    const register = valueKey(name);
    if (f === 'write') ops.push({ f, register, name, value });
    else if (certain) ops.push({ f: 'read', register, name, seen: value });
  }
  return { call: { ops, certain } };
}

function step(
  state: MultiRegisterState,
  call: MultiRegisterCall,
  initial: { readonly value: Value } | undefined,
): MultiRegisterState | undefined {
  let next: Map<string, { readonly name: Value; readonly value: Value }> | undefined;
  for (const op of call.ops) {
    const current = (next ?? state).get(op.register) ?? initial;
    if (op.f === 'read' && current) {
      if (!valueEqual(current.value, op.seen)) return undefined;
      continue;
    }
    next ??= new Map(state);
    next.set(op.register, { name: op.name, value: op.f === 'read' ? op.seen : op.value });
  }
  return next ?? state;
}

/** Registers in name order, so a state reads the same however it was reached; untouched ones left out. */
function describe(state: MultiRegisterState): string {
  const registers = [...state.keys()].sort();
  return `{${registers
    .map((register) => {
      const { name, value } = state.get(register) as { readonly name: Value; readonly value: Value };
      return `${describeValue(name)} ${describeValue(value)}`;
    })
    .join(', ')}}`;
}

function equal(a: MultiRegisterState, b: MultiRegisterState): boolean {
  if (a.size !== b.size) return false;
  for (const [register, { value }] of a) {
    const other = b.get(register);
    if (!other || !valueEqual(value, other.value)) return false;
  }
  return true;
}

/** Order-independent: the xor of each register's hash. */
function hash(state: MultiRegisterState): number {
  let h = 0;
  for (const [register, { value }] of state) h ^= mix32(hashString(register) + Math.imul(hashValue(value), 31));
  return h;
}
