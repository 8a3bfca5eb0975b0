import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { errorOf } from '../input-error.test-kit.ts';
import { InputError } from '../input-error.ts';
import { writeJsonl } from './jsonl.ts';
import type { HistoryFormat } from './read-history.ts';
import { detectFormat, readEvents, readEventsFromFile, readHistory, readHistoryFile } from './read-history.ts';
import type { SourcedEvents } from './sourced-events.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const READERS = join(FIXTURES, 'readers');
const KNOSSOS = join(FIXTURES, 'knossos');

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path, extension);
    return entry.name.endsWith(extension) ? [path] : [];
  });
}

const readerFixture = (name: string) => readFileSync(join(READERS, name), 'utf8');

describe('detectFormat', () => {
  const expected: Record<string, HistoryFormat> = {
    'history.edn': 'edn',
    'independent.edn': 'edn',
    'sample.jsonl': 'jsonl',
    'log4j.txt': 'log',
    'log4j-space-padded.txt': 'log',
    'logback-2017.txt': 'log',
    'logback-2021.txt': 'log',
    'history.txt': 'log',
  };

  it('knows every reader fixture from its content', () => {
    const names = readdirSync(READERS).filter((name) => name !== 'README.md');
    expect(names.sort()).toEqual(Object.keys(expected).sort());
    for (const name of names) expect(detectFormat(readerFixture(name)), name).toBe(expected[name]);
  });

  it('knows every Knossos history as EDN', () => {
    for (const file of filesUnder(KNOSSOS, '.edn')) expect(detectFormat(readFileSync(file, 'utf8')), file).toBe('edn');
  });

  it('tells JSON objects from EDN maps with string keys', () => {
    expect(detectFormat('{"type":"ok"}')).toBe('jsonl');
    expect(detectFormat('  \n\n { "type" : "ok"}')).toBe('jsonl');
    expect(detectFormat('{"type" "ok"}')).toBe('edn');
    expect(detectFormat('{:type :ok}')).toBe('edn');
  });

  it('looks past blank lines, a byte order mark and leading comments', () => {
    expect(detectFormat('\uFEFF\n\n[{:type :ok}]')).toBe('edn');
    expect(detectFormat('; a comment\n{:type :ok}')).toBe('edn');
    expect(detectFormat('#_ x\n{:type :ok}')).toBe('edn');
    expect(detectFormat('(\n{:type :ok})')).toBe('edn');
  });

  it('reads a bracketed timestamp as a log, not a vector', () => {
    expect(detectFormat('[2021-02-26 23:39:01] INFO jepsen.util: 0\t:invoke\t:read\tnil')).toBe('log');
    expect(detectFormat(':nemesis\t:info\t:start\tnil')).toBe('log');
    expect(detectFormat('0\t:invoke\t:read\tnil')).toBe('log');
  });
});

describe('readEvents', () => {
  it('gives the same events for the same history in EDN, history.txt and JSON Lines', () => {
    const edn = readEvents('[{:type :invoke, :process 0, :f :write, :value 3}\n {:type :ok, :process 0, :f :write, :value 3}]');
    const log = readEvents('0\t:invoke\t:write\t3\n0\t:ok\t:write\t3\n');
    const jsonl = readEvents(writeJsonl(edn.events));
    expect(log.events).toEqual(edn.events);
    expect(jsonl.events).toEqual(edn.events);
    expect(jsonl.lines).toEqual([1, 2]);
  });

  it('follows a forced format', () => {
    const error = errorOf(() => readEvents('0\t:invoke\t:write\t3', { format: 'edn', file: 'f' }));
    expect(error.message).toContain('expected an operation map');
    expect(readEvents('{"type":"ok","process":0,"f":"r"}', { format: 'jsonl' }).events).toHaveLength(1);
  });

  it('splits keyed tuples in JSON Lines too, leaving explicit keys alone', () => {
    const text = '{"type":"invoke","process":0,"f":"read","value":[7,null]}\n{"type":"ok","process":0,"f":"read","value":3,"key":"x"}';
    expect(readEvents(text, { keyed: true }).events.map((e) => [e.key, e.value])).toEqual([
      [7, null],
      ['x', 3],
    ]);
  });

  it('rejects empty input, whatever the format', () => {
    for (const text of ['', '   \n\t\n', '\uFEFF']) {
      for (const format of [undefined, 'edn', 'log', 'jsonl'] as const) {
        const error = errorOf(() => readEvents(text, { file: 'e', format }));
        expect(error.message).toContain('empty input');
        expect(error.position).toEqual({ file: 'e', line: 1, column: 1 });
      }
    }
  });

  it('reads an explicitly empty EDN history as no events', () => {
    expect(readHistory('[]').events).toEqual([]);
  });
});

describe('readHistory', () => {
  it('pairs every Knossos history without error', () => {
    for (const file of filesUnder(KNOSSOS, '.edn')) {
      const history = readHistory(readFileSync(file, 'utf8'), { file });
      // One history (mongodb-v0-ack-rollback-) holds nemesis events only.
      expect(history.operations.length + history.markers.length, file).toBe(
        history.events.length - history.operations.filter((op) => op.completeIndex >= 0).length,
      );
    }
  });

  it('pairs the reader fixtures', () => {
    const keyed = new Set(['independent.edn', 'logback-2021.txt']);
    for (const name of readdirSync(READERS).filter((n) => n !== 'README.md')) {
      const history = readHistory(readerFixture(name), { file: name, keyed: keyed.has(name) });
      expect(history.operations.length, name).toBeGreaterThan(0);
    }
  });

  it('turns a pairing problem into an InputError at the event line, in every format', () => {
    const edn = errorOf(() =>
      readHistory('[{:type :invoke :process 0 :f :read}\n\n {:type :invoke :process 0 :f :write}]', { file: 'h.edn' }),
    );
    expect(edn.position).toEqual({ file: 'h.edn', line: 3, column: 2 });
    expect(edn.message).toContain('process 0 invokes write while its read is still pending');

    const log = errorOf(() =>
      readHistory('INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 1\t:ok\t:read\t3', { file: 'j.log' }),
    );
    expect(log.position).toEqual({ file: 'j.log', line: 2, column: 21 });
    expect(log.message).toContain('no invocation pending');

    const jsonl = errorOf(() =>
      readHistory('{"type":"invoke","process":0,"f":"read"}\n{"type":"ok","process":0,"f":"write"}', { file: 'h.jsonl' }),
    );
    expect(jsonl.position).toEqual({ file: 'h.jsonl', line: 2, column: 1 });
    expect(jsonl.message).toContain('its pending invocation is read');
  });

  it('sorts by time when asked, naming the line of an event without one', () => {
    const text = '{:type :ok :process 0 :f :read :value 1 :time 20}\n{:type :invoke :process 0 :f :read :time 10}';
    expect(() => readHistory(text)).toThrow(InputError);
    expect(readHistory(text, { sortByTime: true }).operations[0]).toMatchObject({ output: 1, invokeTime: 10, completeTime: 20 });
    const error = errorOf(() => readHistory(`${text}\n{:type :invoke :process 1 :f :read}`, { file: 't.edn', sortByTime: true }));
    expect(error.position).toEqual({ file: 't.edn', line: 3, column: 1 });
  });
});

describe('readHistoryFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leaderlog-read-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file, naming it in errors', () => {
    expect(readHistoryFile(join(READERS, 'history.txt')).operations).toHaveLength(5);
    const error = errorOf(() => readHistoryFile(join(READERS, 'history.txt'), { format: 'jsonl' }));
    expect(error.position.file).toBe(join(READERS, 'history.txt'));
  });

  it('turns a missing file or a directory into an InputError naming it', () => {
    const missing = join(dir, 'nope.edn');
    expect(errorOf(() => readHistoryFile(missing)).describe()).toBe(`${missing}: cannot read the history file: no such file`);
    expect(errorOf(() => readHistoryFile(dir)).describe()).toBe(`${dir}: cannot read the history file: it is a directory`);
  });
});

// Mutated real histories and garbage: whatever the damage, a reader either reads it or says what is
// wrong with an InputError. Nothing else may escape.

const seeds: readonly string[] = [
  ...readdirSync(READERS)
    .filter((n) => n !== 'README.md')
    .map(readerFixture),
  ...[
    'cas-register/bad/bad-analysis.edn',
    'cas-register/bad/rethink-fail-minimal.edn',
    'cas-register/good/memstress3-0.edn',
    'multi-register/good/multi-register.edn',
  ].map((name) => readFileSync(join(KNOSSOS, name), 'utf8')),
  writeJsonl(readEvents(readerFixture('history.edn')).events),
];

type Mutation = (text: string) => string;
const position = (text: string, at: number) => Math.floor(at * text.length);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...'[](){}#_:;"\\ \n\t,.-0129aeEN\u0000é{}'.split(''))).map(
    ([at, char]) =>
      (text: string) =>
        text.slice(0, position(text, at)) + char + text.slice(position(text, at) + 1),
  ),
  fc.double({ min: 0, max: 1, noNaN: true }).map((at) => (text: string) => text.slice(0, position(text, at))),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 40 })).map(
    ([at, length]) =>
      (text: string) =>
        text.slice(0, position(text, at)) + text.slice(position(text, at) + length),
  ),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 60 })).map(([at, length]) => (text: string) => {
    const start = position(text, at);
    return text.slice(0, start + length) + text.slice(start);
  }),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > 0) bytes[Math.min(bytes.length - 1, Math.floor(at * bytes.length))] ^= byte;
    return bytes.toString('utf8');
  }),
);

function readsOrSaysWhy(text: string, options: { keyed?: boolean; sortByTime?: boolean; format?: HistoryFormat }): void {
  try {
    readHistory(text, { file: 'fuzz', ...options });
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    expect(error.position.file).toBe('fuzz');
    expect(error.describe()).not.toContain('\n');
  }
}

const readOptions = fc.record({
  keyed: fc.boolean(),
  sortByTime: fc.boolean(),
  format: fc.constantFrom(undefined, 'edn', 'log', 'jsonl'),
});

/** The events, or the InputError's one line: what a reader makes of a text. */
function outcome(read: () => SourcedEvents): unknown {
  try {
    const { events, lines, columns } = read();
    return { events, lines, columns };
  } catch (error) {
    if (error instanceof InputError) return error.describe();
    throw error;
  }
}

describe('readEventsFromFile: piece by piece', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leaderlog-pieces-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let files = 0;
  const fileOf = (text: string | Buffer) => {
    const path = join(dir, `h${files++}`);
    writeFileSync(path, text);
    return path;
  };

  it('reads every fixture as the whole text reads, whatever the piece size', () => {
    const small = [...filesUnder(READERS, '.edn'), ...filesUnder(READERS, '.txt'), ...filesUnder(READERS, '.jsonl')].map(
      (path) => [path, [1, 2, 7, 64, 1000]] as const,
    );
    const large = filesUnder(KNOSSOS, '.edn')
      .slice(0, 8)
      .map((path) => [path, [251, 4096]] as const);
    for (const [path, pieces] of [...small, ...large]) {
      const whole = outcome(() => readEvents(readFileSync(path, 'utf8'), { file: path }));
      for (const piece of pieces)
        expect(
          outcome(() => readEventsFromFile(path, {}, piece)),
          `${path} in pieces of ${piece}`,
        ).toEqual(whole);
    }
  });

  it('mutated histories: the same events, or the same error at the same place, as read whole', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 300 }),
        fc.boolean(),
        (seed, mutations, piece, keyed) => {
          const text = mutations.reduce((t, mutate) => mutate(t), seed);
          const path = fileOf(text);
          expect(outcome(() => readEventsFromFile(path, { keyed }, piece))).toEqual(
            outcome(() => readEvents(readFileSync(path, 'utf8'), { file: path, keyed })),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('cuts neither a multi-byte character nor a token nor a string', () => {
    const text =
      '[{:type :invoke, :process 0, :f :write, :value "é ü 😀 a long string, with spaces"}\n {:type :ok, :process 0, :f :write, :value 123456789012345678901234567890}]';
    const path = fileOf(text);
    for (let piece = 1; piece < 12; piece++) expect(readEventsFromFile(path, {}, piece).events).toEqual(readEvents(text).events);
  });

  it('streams a JSON array: the same events, lines and errors in any pieces, an element split anywhere', () => {
    const events = Array.from(
      { length: 30 },
      (_, i) =>
        `{"type": "${i % 2 ? 'ok' : 'invoke'}",\n  "process": ${i >> 1}, "f": "write", "value": "a, [string] {with} \\"brackets\\""}`,
    );
    const texts = [
      `\uFEFF[\n${events.join(',\n')}\n]\n`,
      `[${events.join(', ')}]`,
      `[${events.slice(0, 5).join(',\n')}\n${events[5]}]`,
      `[\n${events.slice(0, 4).join(',\n')},\n{"type": "ok",\n`,
      `[\n${events.slice(0, 4).join(',\n')},\n{"type": "ok", "process": 0, "f": "r", "value": ${'['.repeat(600)}${']'.repeat(600)}}]`,
      `[\n${events.slice(0, 2).join(',\n')}] \n [`,
    ];
    for (const text of texts) {
      const path = fileOf(text);
      const whole = outcome(() => readEvents(text, { file: path }));
      for (const piece of [1, 3, 17, 64, 1000])
        expect(
          outcome(() => readEventsFromFile(path, {}, piece)),
          `${text.slice(0, 40)} in pieces of ${piece}`,
        ).toEqual(whole);
    }
    expect(outcome(() => readEvents(texts[2]))).toBe('11:1: expected , or ] in the array opened at 1:1, found "{\\"type\\": \\""');
    expect(outcome(() => readEvents(texts[3]))).toBe('1:1: unterminated array: expected ] to close the history array opened at 1:1');
    expect(outcome(() => readEvents(texts[4]))).toMatch(/^10:1: .*nested more than 500 deep/);
    expect(outcome(() => readEvents(texts[5]))).toBe('6:2: expected the end of input after the history array opened at 1:1, found "["');
    expect(readEvents(texts[0]).lines).toEqual(Array.from({ length: 30 }, (_, i) => 2 + 2 * i));
  });

  it('refuses binary input at its first NUL byte, before reading on', () => {
    const error = errorOf(() => readEventsFromFile(fileOf(Buffer.alloc(1 << 20)), {}, 4096));
    expect(error.describe()).toMatch(/^.*h\d+:1:1: a NUL byte: this is binary data, expected a text history/);
  });

  it('refuses /dev/zero at once, and reads a long first line without a line break in linear time', () => {
    // The first-line search used to start over from every character of a piece without a newline:
    // quadratic in the 8 MiB piece, so `check /dev/zero` and a 16 MiB line never came back.
    const started = performance.now();
    expect(errorOf(() => readEventsFromFile('/dev/zero')).describe()).toMatch(/^\/dev\/zero:1:1: a NUL byte: this is binary data/);
    expect(errorOf(() => readEventsFromFile(fileOf('x'.repeat(16 << 20)))).describe()).toMatch(/h\d+/);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('fills whole pieces from a pipe: 24 MiB of one line through standard input is read in moments', () => {
    // A pipe gives 64 KiB a read; scanning all that is pending once per read was quadratic (with the
    // first-line search, this took over 100 s; now well under one).
    const child = spawnSync(
      'bash',
      [
        '-c',
        `yes x | tr -d '\\n' | head -c ${24 << 20} | ${JSON.stringify(process.execPath)} --import tsx -e "import { readEventsFromFile } from './history/formats/read-history.ts'; try { readEventsFromFile('-') } catch (e) { console.log(e.describe()) }"`,
      ],
      { cwd: fileURLToPath(new URL('../../', import.meta.url)), encoding: 'utf8', timeout: 60_000 },
    );
    expect(child.stdout).toMatch(/^\(standard input\):1:1: no operations found/);
  });

  it('reads - as standard input', () => {
    const path = join(READERS, 'history.txt');
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import { readEventsFromFile } from './history/formats/read-history.ts'; console.log(readEventsFromFile('-').events.length)`,
      ],
      {
        cwd: fileURLToPath(new URL('../../', import.meta.url)),
        input: readFileSync(path),
        encoding: 'utf8',
      },
    );
    expect(child.stderr).toBe('');
    expect(Number(child.stdout)).toBe(readEvents(readFileSync(path, 'utf8')).events.length);
  });
});

describe('readHistory on damaged input', () => {
  it('mutated histories: reads them or throws an InputError', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        readOptions,
        (seed, mutations, options) => {
          readsOrSaysWhy(
            mutations.reduce((text, mutate) => mutate(text), seed),
            options,
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('garbage: throws only InputError', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme-ascii', maxLength: 200 })),
        readOptions,
        (text, options) => readsOrSaysWhy(text, options),
      ),
      { numRuns: 2000 },
    );
  });
});
