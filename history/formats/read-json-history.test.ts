import { describe, expect, it } from 'vitest';
import { errorOf } from '../input-error.test-kit.ts';
import { looksKeyed } from './keyed-events.ts';
import { detectFormat, readEvents } from './read-history.ts';
import { readJsonArrayEvents } from './read-json-history.ts';
import { readLogEvents } from './read-log-history.ts';

describe('readJsonArrayEvents: JSON arrays of events (elle-cli)', () => {
  const text = [
    '[',
    '  {"index": 0, "type": "invoke", "process": 0, "f": "txn",',
    '   "value": [["append", 1, 2], ["r", 1, null]]},',
    '  {"index": 1, "type": "ok", "process": 0, "f": "txn", "value": [["append", 1, 2], ["r", 1, [2]]], "note": "a, ] {"},',
    '  {"type": "invoke", "process": 1, "f": "read", "value": 123456789012345678901}',
    ']',
  ].join('\n');

  it('is recognised from its opening, however the lines break, and keeps each event at its line', () => {
    expect(detectFormat(text)).toBe('json');
    expect(detectFormat('[{:type :invoke}]')).toBe('edn');
    expect(detectFormat('[]')).toBe('edn');
    const { events, lines, columns } = readEvents(text);
    expect(events).toEqual([
      {
        type: 'invoke',
        process: 0,
        f: 'txn',
        value: [
          ['append', 1, 2],
          ['r', 1, null],
        ],
        index: 0,
      },
      {
        type: 'ok',
        process: 0,
        f: 'txn',
        value: [
          ['append', 1, 2],
          ['r', 1, [2]],
        ],
        index: 1,
      },
      { type: 'invoke', process: 1, f: 'read', value: 123456789012345678901n },
    ]);
    expect(lines).toEqual([2, 4, 5]);
    expect(columns).toEqual([3, 3, 3]);
  });

  it('an empty array is an empty history', () => {
    expect(readJsonArrayEvents(' [ ] ').events).toEqual([]);
  });

  it('says where and what was expected', () => {
    const missingComma = errorOf(() =>
      readJsonArrayEvents('[{"type": "invoke", "process": 0, "f": "read"}\n {"type": "ok"}]', { file: 'h.json' }),
    );
    expect(missingComma.message).toBe('expected , or ] in the array opened at 1:1, found "{\\"type\\": \\""');
    expect(missingComma.position).toEqual({ file: 'h.json', line: 2, column: 2 });
    const badType = errorOf(() => readJsonArrayEvents('[\n{"type": "done", "process": 0, "f": "read"}]'));
    expect(badType.message).toBe('expected "type" to be "invoke", "ok", "fail" or "info", found "done"');
    expect(badType.position).toMatchObject({ line: 2 });
    expect(errorOf(() => readJsonArrayEvents('[{"type": "invoke"')).message).toBe(
      'unterminated array: expected ] to close the history array opened at 1:1',
    );
    const trailing = errorOf(() => readJsonArrayEvents('[] []'));
    expect(trailing.message).toBe('expected the end of input after the history array opened at 1:1, found "[]"');
    expect(trailing.position).toMatchObject({ line: 1, column: 4 });
  });
});

describe("a Jepsen fork's bracketed clock before the log payload", () => {
  it('is skipped', () => {
    const { events, columns } = readLogEvents(
      '2024-05-01 10:00:00,100{GMT}\tINFO\t[jepsen worker 0] jepsen.util: [ 2327886777 ] 3\t:invoke\t:read\tnil\n',
    );
    expect(events).toEqual([{ type: 'invoke', process: 3, f: 'read', value: null, time: 0 }]);
    expect(columns).toEqual([81]);
  });
});

describe('looksKeyed: jepsen.independent tuples without --keyed', () => {
  const event = (type: 'invoke' | 'ok' | 'info', f: string, value: unknown) => ({ type, process: 0, f, value }) as never;

  it('takes tuples on every invocation and acknowledged completion', () => {
    expect(
      looksKeyed([
        event('invoke', 'read', [1, null]),
        event('ok', 'read', [1, 3]),
        event('invoke', 'write', ['a', 2]),
        event('info', 'write', null),
      ]),
    ).toBe(true);
  });

  it('not when one invocation lacks a tuple, nor when only writes and cas ops (whose values are pairs) have them', () => {
    expect(looksKeyed([event('invoke', 'read', null), event('ok', 'read', [1, 3])])).toBe(false);
    expect(looksKeyed([event('invoke', 'cas', [1, 2]), event('ok', 'cas', [1, 2]), event('invoke', 'write', [3, 4])])).toBe(false);
    expect(looksKeyed([event('invoke', 'read', [[1], null])])).toBe(false);
    expect(looksKeyed([])).toBe(false);
  });
});
