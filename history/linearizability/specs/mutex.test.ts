import { describe, expect, it } from 'vitest';
import type { Operation } from '../../operation.ts';
import type { MutexCall } from './mutex.ts';
import { mutexSpec as spec } from './mutex.ts';

function call(f: string, result: Operation['result'] = 'ok'): MutexCall {
  const reading = spec.read({ id: 0, process: 0, f, input: null, output: null, result, invokeIndex: 0, completeIndex: 1 });
  if (!('call' in reading)) throw new Error(reading.problem);
  return reading.call;
}

describe('the mutex spec', () => {
  it('lets one holder at a time acquire, and only the held lock be released', () => {
    expect(spec.init()).toBe(false);
    expect(spec.step(false, call('acquire'))).toBe(true);
    expect(spec.step(true, call('acquire'))).toBeUndefined();
    expect(spec.step(true, call('release'))).toBe(false);
    expect(spec.step(false, call('release'))).toBeUndefined();
  });

  it('never drops an indeterminate call, since each one changes the state', () => {
    expect(spec.droppable([call('acquire', 'info'), call('release', 'info')])).toEqual([false, false]);
    expect(spec.readOnly(call('acquire'))).toBe(false);
    expect(spec.callKey(call('acquire', 'info'))).toBe(spec.callKey(call('acquire')));
    expect(spec.callKey(call('acquire'))).not.toBe(spec.callKey(call('release')));
    expect(spec.describeCall(call('acquire', 'info'))).toBe('maybe acquire');
  });

  it('takes only acquire and release', () => {
    expect(spec.read({ id: 0, process: 0, f: 'lock', input: null, output: null, result: 'ok', invokeIndex: 0, completeIndex: 1 })).toEqual({
      problem: 'mutex has no operation lock',
    });
  });
});
