import { describe, expect, it } from 'vitest';
import type { Operation } from '../../operation.ts';
import type { Value } from '../../value.ts';
import type { RegisterCall } from './register.ts';
import { casRegisterSpec, registerSpec } from './register.ts';

function op(f: string, input: Value, output: Value = input, result: Operation['result'] = 'ok'): Operation {
  return { id: 0, process: 0, f, input, output, result, invokeIndex: 0, completeIndex: result === 'info' ? -1 : 1 };
}

function call(operation: Operation): RegisterCall {
  const reading = casRegisterSpec.read(operation);
  if (!('call' in reading)) throw new Error(reading.problem);
  return reading.call;
}

describe('the register specs', () => {
  it('start at nil', () => {
    expect(casRegisterSpec.init()).toBeNull();
    expect(registerSpec.init()).toBeNull();
  });

  it('read what was last written, and nothing else', () => {
    const state = casRegisterSpec.step(null, call(op('write', 3)));
    expect(state).toBe(3);
    expect(casRegisterSpec.step(3, call(op('read', null, 3)))).toBe(3);
    expect(casRegisterSpec.step(3, call(op('read', null, 4)))).toBeUndefined();
    expect(casRegisterSpec.step(null, call(op('read', null, null)))).toBeNull();
  });

  it('compare values structurally: a read of [1 2] matches a write of [1 2]', () => {
    expect(casRegisterSpec.step([1, 2], call(op('read', null, [1, 2])))).toEqual([1, 2]);
    expect(casRegisterSpec.step(1, call(op('read', null, '1')))).toBeUndefined();
  });

  it('cas only from the expected value', () => {
    expect(casRegisterSpec.step(1, call(op('cas', [1, 2])))).toBe(2);
    expect(casRegisterSpec.step(0, call(op('cas', [1, 2])))).toBeUndefined();
  });

  it('let an indeterminate read see anything, and apply an indeterminate write or cas like a certain one', () => {
    expect(casRegisterSpec.step(7, call(op('read', null, null, 'info')))).toBe(7);
    expect(casRegisterSpec.step(7, call(op('write', 1, 1, 'info')))).toBe(1);
    expect(casRegisterSpec.step(7, call(op('cas', [7, 8], [7, 8], 'info')))).toBe(8);
    expect(casRegisterSpec.step(6, call(op('cas', [7, 8], [7, 8], 'info')))).toBeUndefined();
  });

  it('drop indeterminate reads, and indeterminate writes and cas of values nothing observes', () => {
    const calls = [
      op('read', null, null, 'info'),
      op('write', 1, 1, 'info'), // 1 is read below
      op('write', 2, 2, 'info'), // nothing reads 2
      op('cas', [5, 3], [5, 3], 'info'), // nothing reads 3
      op('cas', [1, 4], [1, 4], 'info'), // 4 is expected by a cas
      op('cas', [4, 9], [4, 9], 'ok'),
      op('read', null, 1),
      op('write', 6), // certain: never dropped
    ].map(call);
    expect(casRegisterSpec.droppable(calls)).toEqual([true, false, true, true, false, false, false, false]);
  });

  it('call reads and cas [v v] read-only, and nothing that can change the value', () => {
    const readOnly = [op('read', null, 1), op('cas', [2, 2]), op('cas', [1, 2]), op('write', 1)].map((o) =>
      casRegisterSpec.readOnly(call(o)),
    );
    expect(readOnly).toEqual([true, true, false, false]);
  });

  it('key calls by what they do, so alike ones share a key whatever their outcome', () => {
    const key = (o: Operation) => casRegisterSpec.callKey(call(o));
    expect(key(op('write', 1, 1, 'info'))).toBe(key(op('write', 1)));
    expect(key(op('write', 1))).not.toBe(key(op('write', '1')));
    expect(key(op('cas', [1, 2]))).not.toBe(key(op('cas', [2, 1])));
    expect(key(op('read', null, 1))).not.toBe(key(op('read', null, 2)));
  });

  it('say why an operation is not theirs', () => {
    expect(registerSpec.read(op('cas', [1, 2]))).toEqual({ problem: 'register has no operation cas' });
    expect(casRegisterSpec.read(op('cas', 5))).toEqual({ problem: 'cas expects [old new], got 5' });
    expect(casRegisterSpec.read(op('cas', [1, 2, 3]))).toHaveProperty('problem');
  });

  it('hash equal states alike and describe states and calls in Jepsen notation', () => {
    expect(casRegisterSpec.hash([1, 'a'])).toBe(casRegisterSpec.hash([1, 'a']));
    expect(casRegisterSpec.equal({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(casRegisterSpec.hash({ a: 1, b: 2 })).toBe(casRegisterSpec.hash({ b: 2, a: 1 }));
    expect(casRegisterSpec.describe(null)).toBe('nil');
    expect(casRegisterSpec.describeCall(call(op('cas', [1, 2], [1, 2], 'info')))).toBe('maybe cas 1 -> 2');
    expect(casRegisterSpec.describeCall(call(op('read', null, 'x')))).toBe('read "x"');
    expect(casRegisterSpec.describeCall(call(op('read', null, null, 'info')))).toBe('read (result unknown)');
  });
});
