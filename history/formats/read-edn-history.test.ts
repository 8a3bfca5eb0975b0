import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEDNString } from 'edn-data';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../input-error.test-kit.ts';
import { parseEdn } from './edn.ts';
import { ednToValue, readEdnEvents } from './read-edn-history.ts';

const KNOSSOS = fileURLToPath(new URL('../fixtures/knossos/', import.meta.url));
const READERS = fileURLToPath(new URL('../fixtures/readers/', import.meta.url));

function ednFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ednFiles(path);
    return entry.name.endsWith('.edn') ? [path] : [];
  });
}

const value = (text: string) => ednToValue(parseEdn(text)[0]);

describe('ednToValue', () => {
  it('turns keywords and symbols into their names', () => {
    expect(value(':read')).toBe('read');
    expect(value(':jepsen/nemesis')).toBe('jepsen/nemesis');
    expect(value('foo')).toBe('foo');
  });

  it('turns lists into arrays, keeping order, and sets into arrays in one canonical order', () => {
    expect(value('(1 :a "b")')).toEqual([1, 'a', 'b']);
    expect(value('#{:n3 :n1}')).toEqual(['n1', 'n3']);
    expect(value('#{10 2 1 -3 18446744073709551617}')).toEqual([-3, 1, 2, 10, 18446744073709551617n]);
    expect(value('#{2 1}')).toEqual(value('#{1 2}'));
    expect(value('{:x #{[1 2] :a 3}}')).toEqual(value('{:x #{:a 3 [1 2]}}'));
    expect(value('#{1 1}')).toEqual([1]);
  });

  it('gives set-valued and map-valued map keys one canonical name', () => {
    expect(value('{#{1 2} :a}')).toEqual(value('{#{2 1} :a}'));
    expect(value('{{:a 1 :b 2} :x}')).toEqual(value('{{:b 2 :a 1} :x}'));
  });

  it('turns maps into objects with string keys', () => {
    expect(value('{:a 1, "b" 2, 3 [4], nil 5, [6 7] 8}')).toEqual({ a: 1, b: 2, '3': [4], nil: 5, '[6 7]': 8 });
  });

  it('keeps a "__proto__" key as an own field', () => {
    const object = value('{:__proto__ {:polluted true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(Object.keys(object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps big integers exact, tagged values as their value, chars as strings', () => {
    expect(value('[18446744073709551617 5N 2.5 ##Inf]')).toEqual([18446744073709551617n, 5, 2.5, Infinity]);
    expect(value('#inst "2020-01-01"')).toBe('2020-01-01');
    expect(value('#knossos.model.CASRegister{:value 3}')).toEqual({ value: 3 });
    expect(value('[\\a \\newline]')).toEqual(['a', '\n']);
    expect(value('[nil true false]')).toEqual([null, true, false]);
  });
});

describe('readEdnEvents: Knossos fixtures', () => {
  const files = ednFiles(KNOSSOS);

  it('finds the whole fixture set', () => {
    expect(files.length).toBe(122);
  });

  it.each(files.map((file) => [relative(KNOSSOS, file), file]))('%s reads as edn-data reads it', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const { events, lines } = readEdnEvents(text, { file });
    const expected = parseEDNString(text, { mapAs: 'object', keywordAs: 'string', listAs: 'array', setAs: 'array' }) as Record<
      string,
      unknown
    >[];
    expect(events.length).toBe(expected.length);
    expect(lines.length).toBe(events.length);
    events.forEach((event, i) => {
      const { type, process, f, value = null, time, index, error } = expected[i];
      expect(event).toMatchObject({ type, process, f, value });
      expect(event.time).toBe(time);
      expect(event.index).toBe(index);
      expect(event.error).toEqual(error);
    });
  });

  it('reads the mutex history in full, with its lines', () => {
    const file = join(KNOSSOS, 'mutex/bad/etcd.edn');
    const { events, lines } = readEdnEvents(readFileSync(file, 'utf8'), { file });
    expect(events).toHaveLength(1135);
    expect(events.map((e) => e.index)).toEqual(events.map((_, i) => i));
    expect(lines[0]).toBe(1);
    expect(lines[1134]).toBe(1135);
    expect(events[1134]).toEqual({
      type: 'fail',
      process: 0,
      f: 'release',
      value: null,
      time: 34821084511,
      index: 1134,
      error: ['not-found', 'etcdserver: requested lease not found'],
    });
  });

  it('reads the commented, multi-line multi-register history', () => {
    const file = join(KNOSSOS, 'multi-register/good/multi-register.edn');
    const { events, lines } = readEdnEvents(readFileSync(file, 'utf8'), { file });
    expect(events[0]).toEqual({ type: 'invoke', process: 3, f: 'txn', value: [['read', 'x', null]], time: 7686455705 });
    expect(lines.slice(0, 2)).toEqual([2, 7]);
    expect(events.at(-1)).toEqual({ type: 'info', process: 'nemesis', f: 'stop', value: 'fully connected', time: 57542441018 });
  });
});

describe('readEdnEvents: history.edn, one map per form', () => {
  const file = join(READERS, 'history.edn');
  const { events, lines, columns } = readEdnEvents(readFileSync(file, 'utf8'), { file });

  it('reads every map, skipping comments and discarded maps', () => {
    expect(events).toHaveLength(11);
    expect(events.map((e) => e.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(lines).toEqual([1, 2, 3, 5, 6, 12, 14, 15, 16, 17, 18]);
    expect(columns.every((c) => c === 1)).toBe(true);
  });

  it('recognises node, epoch, error and nemesis processes', () => {
    expect(events[2]).toEqual({ type: 'ok', process: 0, f: 'write', value: 3, index: 2, time: 18876535, node: 'n1', epoch: 2 });
    expect(events[4]).toEqual({
      type: 'info',
      process: 'nemesis',
      f: 'start-partition',
      value: ['isolated', { n1: ['n2', 'n3'], n2: ['n1'], n3: ['n1'] }],
      index: 4,
      time: 19500000,
    });
    expect(events[9].error).toEqual(['not-leader', 'n2']);
  });

  it('keeps a value beyond 2^53 exact', () => {
    expect(events[6].value).toBe(18446744073709551617n);
  });
});

describe('readEdnEvents: fields', () => {
  const only = (text: string) => readEdnEvents(text).events[0];

  it('accepts a list as the history and a record literal as an operation', () => {
    expect(readEdnEvents('({:type :invoke :process 0 :f :read})').events).toHaveLength(1);
    expect(only('#jepsen.history.Op{:index 0, :type :invoke, :process 0, :f :read, :value nil}')).toEqual({
      type: 'invoke',
      process: 0,
      f: 'read',
      value: null,
      index: 0,
    });
  });

  it('gives every event a value, nil when absent, and leaves unknown fields out', () => {
    expect(only('{:type :invoke :process 0 :f :read :foo 1 "bar" 2}')).toEqual({ type: 'invoke', process: 0, f: 'read', value: null });
  });

  it('reads a :key, keyword, string or integer', () => {
    expect(only('{:type :invoke :process 0 :f :read :key :x}').key).toBe('x');
    expect(only('{:type :invoke :process 0 :f :read :key "x"}').key).toBe('x');
    expect(only('{:type :invoke :process 0 :f :read :key 3}').key).toBe(3);
  });

  it('accepts names as strings too', () => {
    expect(only('{:type "ok" :process "nemesis" :f "stop" :node :n1}')).toEqual({
      type: 'ok',
      process: 'nemesis',
      f: 'stop',
      value: null,
      node: 'n1',
    });
  });

  it('accepts an explicitly empty history', () => {
    expect(readEdnEvents('[]').events).toEqual([]);
  });
});

describe('readEdnEvents: keyed (jepsen.independent)', () => {
  const file = join(READERS, 'independent.edn');
  const text = readFileSync(file, 'utf8');

  it('splits [key value] tuples into key and value', () => {
    const { events } = readEdnEvents(text, { file, keyed: true });
    expect(events.map((e) => [e.key, e.value])).toEqual([
      [0, 3],
      [1, null],
      [0, 3],
      [1, null],
      [0, [3, 5]],
      [undefined, null],
      ['k2', null],
      [0, [3, 5]],
      ['k2', 7],
      ['k3', 1],
      ['k3', null],
    ]);
  });

  it('leaves tuples alone unless asked', () => {
    const { events } = readEdnEvents(text, { file });
    expect(events[0]).toMatchObject({ value: [0, 3] });
    expect(events[0].key).toBeUndefined();
  });

  it('rejects a keyed invocation without a tuple, at its line', () => {
    const error = errorOf(() =>
      readEdnEvents('[{:type :invoke :process 0 :f :read :value [1 nil]}\n {:type :invoke :process 1 :f :read :value nil}]', {
        file: 'k.edn',
        keyed: true,
      }),
    );
    expect(error.position).toEqual({ file: 'k.edn', line: 2, column: 2 });
    expect(error.message).toContain('expected a [key value] tuple');
  });

  it('rejects a completion whose key differs from its invocation', () => {
    const error = errorOf(() =>
      readEdnEvents('{:type :invoke :process 0 :f :read :value [1 nil]}\n{:type :ok :process 0 :f :read :value [2 5]}', { keyed: true }),
    );
    expect(error.position.line).toBe(2);
    expect(error.message).toContain('key 2 but its invocation was for key 1');
  });
});

describe('readEdnEvents: errors name the map, or the field, and what was expected', () => {
  const cases: readonly (readonly [string, number, number, string])[] = [
    ['[{:process 0 :f :read}]', 1, 2, 'this operation has no :type: expected :type :invoke, :ok, :fail or :info'],
    ['{:type :ok :f :read}', 1, 1, 'this operation has no :process'],
    ['\n{:type :ok :process 1}', 2, 1, 'this operation has no :f'],
    ['{:type :done :process 0 :f :read}', 1, 8, 'expected :type to be :invoke, :ok, :fail or :info, found :done'],
    ['{:type :ok :process 1.5 :f :read}', 1, 21, 'expected :process to be an integer or a keyword such as :nemesis, found 1.5'],
    ['{:type :ok :process 0 :f [1]}', 1, 26, 'expected :f to be a keyword such as :read, found a vector'],
    ['{:type :ok :process 0 :f :read :time "x"}', 1, 38, 'expected :time to be a finite number of nanoseconds, found "x"'],
    ['{:type :ok :process 0 :f :read :time ##NaN}', 1, 38, 'expected :time to be a finite number of nanoseconds, found NaN'],
    ['{:type :ok :process 0 :f :read :index 1.5}', 1, 39, 'expected :index to be an integer'],
    ['{:type :ok :process 0 :f :read :epoch :e}', 1, 39, 'expected :epoch to be an integer, found :e'],
    ['{:type :ok :process 0 :f :read :node 3}', 1, 38, 'expected :node to be a string or a keyword'],
    ['{:type :ok :process 0 :f :read :key [1]}', 1, 37, 'expected :key to be an integer, a keyword or a string'],
    ['{:type :ok :process 99999999999999999999 :f :read}', 1, 21, 'expected :process to be an integer'],
    ['[{:type :ok :process 0 :f :read} [1 2]]', 1, 34, 'expected an operation map such as {:type :invoke'],
    ['[{:type :ok :process 0 :f :read}] {:type :ok}', 1, 35, 'expected the end of input after the history vector opened at 1:1'],
    ['{:type :ok :process 0 :f :read} 42', 1, 33, 'expected an operation map'],
    ['  ; nothing\n', 2, 1, 'empty input'],
    ['[{:type :ok :process 0 :f :read}', 1, 33, 'expected a closing ] for the vector opened at 1:1'],
  ];
  it.each(cases)('%j', (text, line, column, message) => {
    const error = errorOf(() => readEdnEvents(text, { file: 'h.edn' }));
    expect(error.position).toEqual({ file: 'h.edn', line, column });
    expect(error.message).toContain(message);
  });
});
