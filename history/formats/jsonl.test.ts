import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Event } from '../event.ts';
import { errorOf } from '../input-error.test-kit.ts';
import { InputError } from '../input-error.ts';
import { buildHistory } from '../operation.ts';
import type { Value } from '../value.ts';
import type { SimulatedWorkload } from '../workloads/simulated-history.ts';
import { seededChoose, simulateHistory } from '../workloads/simulated-history.ts';
import {
  createJsonlWriter,
  formatEventJson,
  jsonlLines,
  parseExactJson,
  readJsonl,
  UnwritableValueError,
  unwritableValue,
  writeJsonl,
  writeJsonlFile,
} from './jsonl.ts';
import { readEvents, readHistoryFile } from './read-history.ts';

const noNegativeZero = (n: number) => (Object.is(n, -0) ? 0 : n);

const value: fc.Arbitrary<Value> = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.bigInt({ min: 2n ** 53n, max: 2n ** 128n }).chain((b) => fc.constantFrom(b, -b)),
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constant('__proto__')), tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;

const event: fc.Arbitrary<Event> = fc
  .record(
    {
      type: fc.constantFrom('invoke', 'ok', 'fail', 'info'),
      process: fc.oneof(fc.nat(), fc.constantFrom('nemesis', 'cluster')),
      f: fc.string({ unit: 'grapheme', maxLength: 8 }),
      value,
      key: fc.oneof(fc.string({ maxLength: 4 }), fc.integer()),
      time: fc.oneof(fc.nat(), fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }).map(noNegativeZero)),
      index: fc.nat(),
      node: fc.constantFrom('n1', 'n2', 'ñ3'),
      epoch: fc.nat(),
      error: value,
    },
    { requiredKeys: ['type', 'process', 'f', 'value'] },
  )
  .map((e) => e as Event);

describe('formatEventJson', () => {
  it('writes fields in a stable order, optional ones only when present', () => {
    const all: Event = {
      error: 'timeout',
      epoch: 3,
      node: 'n1',
      index: 7,
      time: 1500,
      key: 'x',
      value: [1, 2],
      f: 'cas',
      process: 4,
      type: 'info',
    };
    expect(formatEventJson(all)).toBe(
      '{"type":"info","process":4,"f":"cas","value":[1,2],"key":"x","time":1500,"index":7,"node":"n1","epoch":3,"error":"timeout"}',
    );
    expect(formatEventJson({ type: 'invoke', process: 'nemesis', f: 'start', value: null })).toBe(
      '{"type":"invoke","process":"nemesis","f":"start","value":null}',
    );
  });

  it('writes big integers as bare digits and big integral floats with an exponent', () => {
    expect(formatEventJson({ type: 'ok', process: 0, f: 'read', value: [18446744073709551617n, -(2n ** 70n)] })).toContain(
      '"value":[18446744073709551617,-1180591620717411303424]',
    );
    expect(formatEventJson({ type: 'ok', process: 0, f: 'read', value: 2 ** 60 })).toContain('"value":1.152921504606847e+18');
    expect(formatEventJson({ type: 'ok', process: 0, f: 'read', value: 0.1 })).toContain('"value":0.1');
  });

  it('escapes strings and object keys as JSON', () => {
    expect(formatEventJson({ type: 'ok', process: 0, f: 'a"b', value: { 'k\n': 'ü\u0000' } })).toBe(
      '{"type":"ok","process":0,"f":"a\\"b","value":{"k\\n":"ü\\u0000"}}',
    );
  });
});

describe('JSON Lines round trip', () => {
  it('events -> JSON Lines -> events is the identity', () => {
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 8 }).filter((events) => events.length > 0),
        (events) => {
          const text = writeJsonl(events);
          expect(text.split('\n')).toHaveLength(events.length + 1);
          expect(readJsonl(text).events).toEqual(events.map((e) => ({ ...e })));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('keeps integers beyond 2^53 exact, wherever they are', () => {
    const big = 2n ** 64n + 1n;
    const events: Event[] = [{ type: 'ok', process: 0, f: 'read', value: { nested: [big, -big] }, error: [big] }];
    const read = readJsonl(writeJsonl(events)).events;
    expect(read[0].value).toEqual({ nested: [big, -big] });
    expect(read[0].error).toEqual([big]);
  });

  it('reads a float that looks like a big integer as the same float', () => {
    const events: Event[] = [{ type: 'ok', process: 0, f: 'read', value: [2 ** 60, 1e300, -(2 ** 70)] }];
    expect(readJsonl(writeJsonl(events)).events).toEqual(events);
  });
});

describe('readJsonl', () => {
  it('reads events with their lines, skipping blank lines and a byte order mark', () => {
    const text = '\uFEFF{"type":"invoke","process":0,"f":"read","value":null}\n\n  \n{"type":"ok","process":0,"f":"read","value":3}\r\n';
    const { events, lines } = readJsonl(text, 'h.jsonl');
    expect(events).toEqual([
      { type: 'invoke', process: 0, f: 'read', value: null },
      { type: 'ok', process: 0, f: 'read', value: 3 },
    ]);
    expect(lines).toEqual([1, 4]);
  });

  it('gives a missing value as null and ignores unknown fields', () => {
    expect(readJsonl('{"type":"invoke","process":0,"f":"read","extra":1}').events).toEqual([
      { type: 'invoke', process: 0, f: 'read', value: null },
    ]);
  });

  it('reads a big integer key as a string and a big time as a number', () => {
    const [e] = readJsonl(
      '{"type":"invoke","process":0,"f":"read","value":null,"key":18446744073709551617,"time":18446744073709551617}',
    ).events;
    expect(e.key).toBe('18446744073709551617');
    expect(e.time).toBe(2 ** 64);
  });

  const cases: readonly (readonly [string, number, number, string])[] = [
    ['{"type":"ok","process":0,"f":"read","value":}', 1, 45, 'expected a value, found "}"'],
    [
      '{"type":"ok","process":0,"f":"read","value":1}\n{"type":"ok" "process":0}',
      2,
      14,
      'expected , or } in the object opened at column 1, found',
    ],
    ['{"type":"ok","process":0,"f":"read","value":[1,2}', 1, 49, 'expected , or ] in the array opened at column 45'],
    ['{"type":"ok","process":0,"f":"read","value":"abc', 1, 49, 'unterminated string'],
    ['{"type":"ok","process":0,"f":"read","value":"a\\qb"}', 1, 47, 'invalid escape \\q'],
    ['{type:"ok"}', 1, 2, 'expected a field name in double quotes'],
    ['{"type" "ok"}', 1, 9, 'expected : after the field name "type"'],
    ['{"type":"ok","process":0,"f":"read","value":1} x', 1, 48, 'expected the end of the line after the event'],
    ['{"type":"ok","process":0,"f":"read","value":012}', 1, 46, 'expected , or } in the object'],
    ['[1,2]', 1, 1, 'expected a JSON object: one event per line'],
    ['{"type":"done","process":0,"f":"read"}', 1, 1, 'expected "type" to be "invoke", "ok", "fail" or "info", found "done"'],
    ['{"type":"ok","process":1.5,"f":"read"}', 1, 1, 'expected "process" to be an integer, or a string such as "nemesis", found 1.5'],
    ['{"type":"ok","process":0}', 1, 1, 'expected "f" to be a string such as "read", found nothing'],
    ['{"type":"ok","process":0,"f":"r","key":[1]}', 1, 1, 'expected "key" to be a string or an integer'],
    ['{"type":"ok","process":0,"f":"r","time":"t"}', 1, 1, 'expected "time" to be a finite number'],
    ['{"type":"ok","process":0,"f":"r","time":1e400}', 1, 1, 'expected "time" to be a finite number of nanoseconds, found Infinity'],
    ['{"type":"ok","process":0,"f":"r","index":-0.5}', 1, 1, 'expected "index" to be an integer'],
    ['{"type":"ok","process":0,"f":"r","node":1}', 1, 1, 'expected "node" to be a string'],
    ['{"type":"ok","process":0,"f":"r","epoch":"e"}', 1, 1, 'expected "epoch" to be an integer'],
    ['\n\n', 1, 1, 'empty input'],
    // Valid JSON that JSON.parse takes whole, but too deep for everything after it.
    [
      `{"type":"ok","process":0,"f":"r","value":1}\n{"type":"ok","process":0,"f":"r","value":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      2,
      1,
      'values nested more than 500 deep',
    ],
    [
      `{"type":"ok","process":0,"f":"r","value":1,"error":${'{"a":'.repeat(600)}1${'}'.repeat(600)}}`,
      1,
      1,
      'values nested more than 500 deep',
    ],
  ];
  it.each(cases)('errors: %j', (text, line, column, message) => {
    const error = errorOf(() => readJsonl(text, 'h.jsonl'));
    expect(error.position).toEqual({ file: 'h.jsonl', line, column });
    expect(error.message).toContain(message);
  });
});

describe('parseExactJson', () => {
  const hasUnsafeInteger = (json: unknown): boolean =>
    typeof json === 'number'
      ? Number.isInteger(json) && !Number.isSafeInteger(json)
      : typeof json === 'object' && json !== null && Object.values(json).some(hasUnsafeInteger);

  it('agrees with JSON.parse wherever JSON.parse is exact', () => {
    fc.assert(
      fc.property(
        fc.jsonValue().filter((json) => !hasUnsafeInteger(json)),
        (json) => {
          const text = JSON.stringify(json);
          expect(parseExactJson(text)).toEqual(JSON.parse(text));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reads integer literals beyond 2^53 as exact bigints, and floats as floats', () => {
    expect(parseExactJson('[9007199254740991, 9007199254740992, -9007199254740993, 123456789012345678901234567890]')).toEqual([
      9007199254740991,
      9007199254740992n,
      -9007199254740993n,
      123456789012345678901234567890n,
    ]);
    expect(parseExactJson('[1e21, 9007199254740993.0, -0]')).toEqual([1e21, 9007199254740992, -0]);
  });

  it('throws nothing but InputError on garbage', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'{}[]",:0123456789.eE+-\\untrlfa '.split('')), maxLength: 30 }), (text) => {
        try {
          parseExactJson(text);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('limits nesting', () => {
    expect(errorOf(() => parseExactJson('['.repeat(10_000))).message).toContain('nested more than');
  });
});

describe('createJsonlWriter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leaderlog-jsonl-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const events = (n: number): Event[] =>
    Array.from(
      { length: n },
      (_, i) => ({ type: i % 2 ? 'ok' : 'invoke', process: (i >> 1) % 7, f: 'write', value: i >> 1, index: i }) as Event,
    );

  it('streams many events to the same text writeJsonl gives, in place only once closed', () => {
    const path = join(dir, 'big.jsonl');
    const history = events(100_000);
    const writer = createJsonlWriter(path);
    for (const e of history) writer.write(e);
    expect(existsSync(path)).toBe(false);
    writer.close();
    expect(readFileSync(path, 'utf8')).toBe(writeJsonl(history));
    expect([...jsonlLines(history.slice(0, 2))]).toEqual(writeJsonl(history.slice(0, 2)).split(/(?<=\n)/));
    expect(readdirSync(dir)).toEqual(['big.jsonl']);
  });

  it('leaves the old file untouched on abort', () => {
    const path = join(dir, 'kept.jsonl');
    writeFileSync(path, 'old\n');
    const writer = createJsonlWriter(path);
    for (const e of events(10)) writer.write(e);
    writer.abort();
    expect(readFileSync(path, 'utf8')).toBe('old\n');
    expect(readdirSync(dir).filter((f) => f.startsWith('kept'))).toEqual(['kept.jsonl']);
    expect(() => writer.write(events(1)[0])).toThrow(/already closed/);
  });

  it('removes its temporary file when the file cannot be moved into place, and says why', () => {
    const path = join(dir, 'a-folder');
    mkdirSync(path);
    expect(() => writeJsonlFile(path, events(10))).toThrow(/EISDIR/);
    expect(readdirSync(dir).filter((f) => f.startsWith('a-folder'))).toEqual(['a-folder']);
  });
});

// What `leaderlog convert` promises: what it writes reads back as the very events it read, for every
// history it can read; and what JSON cannot hold is refused, never written as something else.
describe('convert round trip: read, write as JSON Lines, read back', () => {
  const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
  const historyFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return historyFiles(path);
      return /\.(edn|txt|jsonl)$/.test(entry.name) ? [path] : [];
    });
  const roundTrip = (events: readonly Event[]) => readJsonl(writeJsonl(events)).events;

  it('every fixture', () => {
    const files = historyFiles(FIXTURES);
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const { events } = readHistoryFile(file, { keyed: file.includes('independent') });
      expect(roundTrip(events), file).toEqual(events);
    }
  });

  it('generated histories of every simulated workload, with cluster annotations', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<SimulatedWorkload>('register', 'list-append', 'set'),
        fc.integer(),
        fc.boolean(),
        (workload, seed, cluster) => {
          const events = simulateHistory(
            { workload, ops: 40, processes: 3, keys: 2, ...(cluster && { cluster: { nodes: 3, failoverEvery: 7 } }) },
            seededChoose(seed),
          );
          const { events: paired } = buildHistory(events);
          expect(roundTrip(paired)).toEqual(paired);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('generated EDN values: sets, maps, chars, big integers, -0 and floats read back the same', () => {
    const edn: fc.Arbitrary<string> = fc.letrec<{ edn: string }>((tie) => ({
      edn: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(
          'nil',
          'true',
          'false',
          ':k',
          'sym',
          '\\a',
          '\\newline',
          '-0.0',
          '-0',
          '1.5M',
          '18446744073709551617',
          '5N',
          '1e300',
          '"é\\n"',
        ),
        fc.integer().map(String),
        fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (/[.e]/.test(String(n)) ? String(n).replace('e+', 'e') : `${n}.0`)),
        fc.array(tie('edn'), { maxLength: 4 }).map((items) => `[${items.join(' ')}]`),
        fc.array(tie('edn'), { maxLength: 4 }).map((items) => `(${items.join(' ')})`),
        fc.uniqueArray(fc.integer({ min: -5, max: 5 }), { maxLength: 4 }).map((items) => `#{${items.join(' ')}}`),
        fc
          .array(fc.tuple(fc.constantFrom(':a', ':b', '"c"', '1'), tie('edn')), { maxLength: 3 })
          .map((entries) => `{${entries.map(([k, v]) => `${k} ${v}`).join(', ')}}`),
      ),
    })).edn;
    fc.assert(
      fc.property(edn, edn, (value, error) => {
        const { events } = readEvents(`{:type :invoke, :process 0, :f :write, :value ${value}, :error ${error}, :time 12.5}`);
        expect(roundTrip(events)).toEqual(events);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses ##NaN and ##Inf instead of writing null', () => {
    for (const text of ['##NaN', '##Inf', '[1 {:a ##-Inf}]']) {
      const [e] = readEvents(`{:type :ok, :process 0, :f :write, :value ${text}}`).events;
      expect(unwritableValue(e)).toMatch(/^the value holds ##(NaN|Inf|-Inf)$/);
      expect(() => formatEventJson(e)).toThrow(UnwritableValueError);
    }
    expect(unwritableValue({ type: 'ok', process: 0, f: 'r', value: 1 })).toBeUndefined();
  });
});
