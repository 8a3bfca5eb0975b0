import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../input-error.test-kit.ts';
import { buildHistory } from '../operation.ts';
import { readLogEvents } from './read-log-history.ts';

const READERS = fileURLToPath(new URL('../fixtures/readers/', import.meta.url));
const fixture = (name: string) => readFileSync(`${READERS}${name}`, 'utf8');

describe('readLogEvents: each Jepsen log variant', () => {
  it('old log4j, tab-separated, skipping chatter and stack traces', () => {
    const { events, lines } = readLogEvents(fixture('log4j.txt'), { file: 'log4j.txt' });
    expect(events).toHaveLength(22);
    expect(lines.slice(0, 3)).toEqual([7, 8, 9]);
    expect(events[0]).toEqual({ type: 'invoke', process: 0, f: 'read', value: null });
    expect(events[2]).toEqual({ type: 'invoke', process: 2, f: 'cas', value: [1, 4] });
    expect(events[8]).toEqual({
      type: 'info',
      process: 'nemesis',
      f: 'start',
      value: 'Cut off {:n5 #{:n3 :n1}, :n2 #{:n3 :n1}, :n4 #{:n3 :n1}, :n1 #{:n4 :n2 :n5}, :n3 #{:n4 :n2 :n5}}',
    });
    expect(lines[13]).toBe(23);
    expect(() => buildHistory(events)).not.toThrow();
  });

  it('takes the value of a :timed-out completion from its invocation, as :info', () => {
    const { events } = readLogEvents(fixture('log4j.txt'));
    expect(events[12]).toEqual({ type: 'info', process: 0, f: 'cas', value: [2, 3] });
    expect(events[13]).toEqual({ type: 'info', process: 1, f: 'write', value: 0 });
  });

  it('log4j padded with spaces, with errors after the value', () => {
    const { events } = readLogEvents(fixture('log4j-space-padded.txt'));
    expect(events).toHaveLength(10);
    expect(events[0]).toEqual({ type: 'invoke', process: 0, f: 'enqueue', value: 1461 });
    expect(events[5]).toEqual({ type: 'info', process: 7, f: 'write', value: 2, error: 'timeout' });
    expect(events[6]).toEqual({ type: 'info', process: 'nemesis', f: 'start', value: null });
    expect(events[8]).toEqual({ type: 'fail', process: 2, f: 'cas', value: [3, 0], error: ['not-found', 'key missing'] });
  });

  it('dated logback (2017), with times relative to the first operation', () => {
    const { events, lines } = readLogEvents(fixture('logback-2017.txt'));
    expect(events).toHaveLength(12);
    expect(lines[0]).toBe(3);
    expect(events[0]).toEqual({ type: 'invoke', process: 0, f: 'read', value: null, time: 0 });
    expect(events[1].time).toBe(4_000_000);
    expect(events[5]).toEqual({
      type: 'info',
      process: 'nemesis',
      f: 'start',
      value: ['isolated', { n1: ['n2', 'n3'], n2: ['n1'], n3: ['n1'] }],
      time: 1_255_000_000,
    });
    expect(events[7]).toEqual({ type: 'info', process: 4, f: 'cas', value: [3, 1], error: 'timeout', time: 6_376_000_000 });
    expect(events.at(-1)?.time).toBe(9_086_000_000);
  });

  it('dated logback (2021) with {GMT} and jepsen.util:, keyed', () => {
    const { events } = readLogEvents(fixture('logback-2021.txt'), { keyed: true });
    expect(events).toHaveLength(14);
    expect(events[0]).toEqual({ type: 'invoke', process: 1, f: 'write', value: 2, key: 0, time: 0 });
    expect(events[3]).toEqual({ type: 'ok', process: 0, f: 'read', value: 2, key: 0, time: 227_000_000 });
    expect(events[4]).toEqual({ type: 'info', process: 'nemesis', f: 'start-partition', value: 'majority', time: 310_000_000 });
    expect(events[7]).toMatchObject({ type: 'fail', key: 1, value: [4, 0], error: ['not-found', 'key does not exist'] });
    expect(events[9]).toMatchObject({ type: 'info', process: 0, key: 1, value: 3, error: 'net-timeout' });
  });

  it('history.txt, where a non-EDN error stays raw text', () => {
    const { events, lines } = readLogEvents(fixture('history.txt'));
    expect(events).toHaveLength(14);
    expect(lines).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(events[5]).toEqual({ type: 'info', process: 'nemesis', f: 'kill', value: { n1: 'killed', n2: 'killed' } });
    expect(events[8]).toEqual({ type: 'fail', process: 0, f: 'read', value: null, error: 'connection-refused' });
    expect(events[9]).toEqual({ type: 'info', process: 2, f: 'cas', value: [3, 4], error: 'indeterminate: Read timed out' });
    expect(() => buildHistory(events)).not.toThrow();
  });

  it('reads Windows line endings and a byte order mark', () => {
    const { events } = readLogEvents('\uFEFF0\t:invoke\t:read\tnil\r\n0\t:ok\t:read\t3\r\n');
    expect(events).toEqual([
      { type: 'invoke', process: 0, f: 'read', value: null },
      { type: 'ok', process: 0, f: 'read', value: 3 },
    ]);
  });

  it('reads values with tabs and spaces inside strings', () => {
    const { events } = readLogEvents('INFO  jepsen.util - 3\t:invoke\t:write\t"a\tb c"\t:err');
    expect(events[0]).toEqual({ type: 'invoke', process: 3, f: 'write', value: 'a\tb c', error: 'err' });
  });
});

describe('readLogEvents: errors', () => {
  it('rejects input without any operation line', () => {
    const error = errorOf(() => readLogEvents('INFO  jepsen.core - Worker 0 starting\nhello\n', { file: 'j.log' }));
    expect(error.position).toEqual({ file: 'j.log', line: 1, column: 1 });
    expect(error.message).toContain('no operations found');
  });

  it('names line and column of a broken value', () => {
    const error = errorOf(() =>
      readLogEvents('INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 3\t:invoke\t:cas\t[1 2', { file: 'j.log' }),
    );
    expect(error.position).toEqual({ file: 'j.log', line: 2, column: 40 });
    expect(error.message).toContain('expected a closing ] for the vector opened at 2:36');
  });

  it('names a missing value', () => {
    const error = errorOf(() => readLogEvents('3\t:invoke\t:read', { file: 'h.txt' }));
    expect(error.position).toEqual({ file: 'h.txt', line: 1, column: 16 });
    expect(error.message).toContain("expected the operation's value");
  });

  it('names an f that is not a name', () => {
    const error = errorOf(() => readLogEvents('3\t:invoke\t[1]\tnil', { file: 'h.txt' }));
    expect(error.position).toEqual({ file: 'h.txt', line: 1, column: 11 });
    expect(error.message).toContain("expected the operation's f");
  });

  it('rejects a process number beyond 2^53', () => {
    expect(errorOf(() => readLogEvents('99999999999999999999\t:invoke\t:read\tnil')).message).toContain('too large');
  });
});
