import { describe, expect, it } from 'vitest';
import type { Event } from './event.ts';
import { MalformedHistoryError } from './input-error.ts';
import { buildHistory } from './operation.ts';

const invoke = (process: number | string, f: string, value: Event['value'], extra: Partial<Event> = {}): Event => ({
  type: 'invoke',
  process,
  f,
  value,
  ...extra,
});
const done = (
  type: 'ok' | 'fail' | 'info',
  process: number | string,
  f: string,
  value: Event['value'],
  extra: Partial<Event> = {},
): Event => ({
  type,
  process,
  f,
  value,
  ...extra,
});

function malformedAt(events: Event[], options = {}): number {
  try {
    buildHistory(events, options);
  } catch (error) {
    if (error instanceof MalformedHistoryError) return error.eventIndex;
    throw error;
  }
  throw new Error('expected a MalformedHistoryError');
}

describe('buildHistory', () => {
  it('pairs invocations with completions in invocation order', () => {
    const history = buildHistory([
      invoke(0, 'write', 1),
      invoke(1, 'read', null),
      done('ok', 1, 'read', 0, { node: 'n2', epoch: 3 }),
      done('ok', 0, 'write', 1),
    ]);
    expect(
      history.operations.map((op) => [op.id, op.process, op.f, op.input, op.output, op.result, op.invokeIndex, op.completeIndex]),
    ).toEqual([
      [0, 0, 'write', 1, 1, 'ok', 0, 3],
      [1, 1, 'read', null, 0, 'ok', 1, 2],
    ]);
    expect(history.operations[1]).toMatchObject({ node: 'n2', epoch: 3 });
  });

  it('keeps what an indeterminate op asked, and treats a missing completion as info', () => {
    const history = buildHistory([invoke(0, 'write', 5), done('info', 0, 'write', null, { error: 'timeout' }), invoke(1, 'cas', [1, 2])]);
    expect(history.operations[0]).toMatchObject({ result: 'info', input: 5, output: 5, error: 'timeout', completeIndex: 1 });
    expect(history.operations[1]).toMatchObject({ result: 'info', input: [1, 2], output: [1, 2], completeIndex: -1 });
  });

  it('keeps non-client events as markers, never as operations', () => {
    const history = buildHistory([
      { type: 'info', process: 'nemesis', f: 'start', value: null },
      invoke(0, 'read', null),
      done('fail', 0, 'read', null),
      { type: 'info', process: 'cluster', f: 'role', value: 'leader', node: 'n1', epoch: 1 },
    ]);
    expect(history.markers).toEqual([0, 3]);
    expect(history.operations).toHaveLength(1);
    expect(history.operations[0].result).toBe('fail');
  });

  it('lets a process invoke again once its op completed, even as info', () => {
    const history = buildHistory([invoke(0, 'write', 1), done('info', 0, 'write', 1), invoke(0, 'write', 2), done('ok', 0, 'write', 2)]);
    expect(history.operations.map((op) => op.result)).toEqual(['info', 'ok']);
  });

  it('rejects a completion with no invocation, a second invocation on a busy process, and a mismatched f', () => {
    expect(malformedAt([invoke(0, 'read', null), done('ok', 1, 'read', 1)])).toBe(1);
    expect(malformedAt([invoke(0, 'read', null), invoke(0, 'write', 1)])).toBe(1);
    expect(malformedAt([invoke(0, 'read', null), done('ok', 0, 'write', 1)])).toBe(1);
  });

  it('sorts by time on request, naming malformed events by their input position', () => {
    const events = [
      invoke(0, 'write', 1, { time: 10 }),
      done('ok', 0, 'write', 1, { time: 30 }),
      invoke(1, 'read', null, { time: 20 }),
      done('ok', 1, 'read', 1, { time: 25 }),
    ];
    const history = buildHistory(events, { sortByTime: true });
    expect(history.events.map((e) => e.time)).toEqual([10, 20, 25, 30]);
    expect(history.operations.map((op) => [op.process, op.invokeIndex, op.completeIndex])).toEqual([
      [0, 0, 3],
      [1, 1, 2],
    ]);
    expect(malformedAt([invoke(0, 'read', null, { time: 5 }), done('ok', 0, 'read', 1)], { sortByTime: true })).toBe(1);
    expect(
      malformedAt([done('ok', 0, 'read', 1, { time: 9 }), invoke(0, 'read', null, { time: 1 }), done('ok', 0, 'read', 1, { time: 2 })], {
        sortByTime: true,
      }),
    ).toBe(0);
  });
});
