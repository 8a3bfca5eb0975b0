import { describe, expect, it } from 'vitest';
import type { Operation } from '../../operation.ts';
import type { Value } from '../../value.ts';
import type { MultiRegisterCall, MultiRegisterState } from './multi-register.ts';
import { multiRegisterSpec as spec } from './multi-register.ts';

function txn(micro: Value, result: Operation['result'] = 'ok'): MultiRegisterCall {
  const reading = spec.read({ id: 0, process: 0, f: 'txn', input: micro, output: micro, result, invokeIndex: 0, completeIndex: 1 });
  if (!('call' in reading)) throw new Error(reading.problem);
  return reading.call;
}

function run(...calls: MultiRegisterCall[]): MultiRegisterState | undefined {
  let state: MultiRegisterState | undefined = spec.init();
  for (const call of calls) state = state && spec.step(state, call);
  return state;
}

describe('the multi-register spec', () => {
  it('applies a transaction in order: a read after a write in it sees the write', () => {
    expect(
      run(
        txn([
          ['write', 'x', 1],
          ['read', 'x', 1],
        ]),
      ),
    ).toBeDefined();
    expect(
      run(
        txn([
          ['write', 'x', 1],
          ['read', 'x', 2],
        ]),
      ),
    ).toBeUndefined();
  });

  it('keeps registers apart', () => {
    const state = run(txn([['write', 'x', 1]]), txn([['write', 'y', 2]]));
    expect(state && spec.describe(state)).toBe('{"x" 1, "y" 2}');
    expect(
      run(
        txn([['write', 'x', 1]]),
        txn([['read', 'y', 1]]),
        txn([
          ['read', 'x', 1],
          ['read', 'y', 1],
        ]),
      ),
    ).toBeDefined();
  });

  it('pins an untouched register to what its first read saw', () => {
    expect(run(txn([['read', 'x', 0]]), txn([['read', 'x', 0]]))).toBeDefined();
    expect(run(txn([['read', 'x', 0]]), txn([['read', 'x', 5]]))).toBeUndefined();
    expect(run(txn([['read', 'x', null]]), txn([['read', 'x', 5]]))).toBeUndefined();
  });

  it('keeps only the writes of an indeterminate transaction, and drops it when it has none', () => {
    const maybe = txn(
      [
        ['read', 'x', null],
        ['write', 'y', 3],
      ],
      'info',
    );
    expect(maybe.ops.map((op) => op.f)).toEqual(['write']);
    expect(spec.describeCall(maybe)).toBe('maybe txn [write "y" 3]');
    expect(spec.droppable([maybe, txn([['read', 'x', null]], 'info'), txn([['read', 'x', 1]])])).toEqual([false, true, false]);
  });

  it('hashes and compares states whatever order their registers were written in', () => {
    const a = run(
      txn([
        ['write', 'x', 1],
        ['write', 'y', 2],
      ]),
    ) as MultiRegisterState;
    const b = run(txn([['write', 'y', 2]]), txn([['write', 'x', 1]])) as MultiRegisterState;
    expect(spec.equal(a, b)).toBe(true);
    expect(spec.hash(a)).toBe(spec.hash(b));
    expect(spec.describe(a)).toBe(spec.describe(b));
    expect(spec.equal(a, run(txn([['write', 'x', 1]])) as MultiRegisterState)).toBe(false);
  });

  it('calls a transaction of reads read-only: once it changes nothing, it never will', () => {
    const reads = txn([['read', 'x', 1]]);
    expect(spec.readOnly(reads)).toBe(true);
    expect(
      spec.readOnly(
        txn([
          ['read', 'x', 1],
          ['write', 'y', 1],
        ]),
      ),
    ).toBe(false);
    const pinned = run(txn([['write', 'x', 1]])) as MultiRegisterState;
    expect(spec.step(pinned, reads)).toBe(pinned);
    expect(spec.callKey(txn([['write', 'x', 1]], 'info'))).toBe(spec.callKey(txn([['write', 'x', 1]])));
    expect(spec.callKey(txn([['write', 'x', 1]]))).not.toBe(spec.callKey(txn([['write', 'y', 1]])));
  });

  it('says what a transaction should look like', () => {
    const reading = spec.read({
      id: 0,
      process: 0,
      f: 'txn',
      input: [['append', 'x', 1]],
      output: null,
      result: 'info',
      invokeIndex: 0,
      completeIndex: -1,
    });
    expect(reading).toEqual({
      problem: 'txn micro-ops are [:read register value] or [:write register value] (or Elle\'s [:r k v], [:w k v]), got ["append" "x" 1]',
    });
    expect(spec.read({ id: 0, process: 0, f: 'txn', input: 3, output: 3, result: 'ok', invokeIndex: 0, completeIndex: 1 })).toHaveProperty(
      'problem',
    );
  });
});
