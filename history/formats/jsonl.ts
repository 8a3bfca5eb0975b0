import { closeSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import type { Event, EventType, Key, Process } from '../event.ts';
import type { SourcePosition } from '../input-error.ts';
import { InputError } from '../input-error.ts';
import type { Value } from '../value.ts';
import { MAX_NESTING } from '../value.ts';
import type { ChunkReader, SourcedEvents } from './sourced-events.ts';
import { readWhole } from './sourced-events.ts';

// leaderlog's own history format, and the one it writes: JSON Lines, one event object per line, fields in
// a fixed order: {"type","process","f","value"} then, when present, "key","time","index","node","epoch",
// "error". Integers beyond 2^53 are written as bare digits and read back exactly as bigint; a float that
// happens to be a large integer is written with an exponent so that it reads back as a float.

const EVENT_TYPES: ReadonlySet<string> = new Set<EventType>(['invoke', 'ok', 'fail', 'info']);

/** One event as one line of JSON, without the newline. Throws UnwritableValueError for ##NaN and ##Inf. */
export function formatEventJson(event: Event): string {
  let line = `{"type":${JSON.stringify(event.type)},"process":${jsonValue(event.process)},"f":${JSON.stringify(event.f)},"value":${jsonValue(event.value)}`;
  if (event.key !== undefined) line += `,"key":${jsonValue(event.key)}`;
  if (event.time !== undefined) line += `,"time":${jsonNumber(event.time)}`;
  if (event.index !== undefined) line += `,"index":${jsonNumber(event.index)}`;
  if (event.node !== undefined) line += `,"node":${JSON.stringify(event.node)}`;
  if (event.epoch !== undefined) line += `,"epoch":${jsonNumber(event.epoch)}`;
  if (event.error !== undefined) line += `,"error":${jsonValue(event.error)}`;
  return `${line}}`;
}

/** Lines with their newlines, one per event, for writing a history of any size piece by piece. */
export function* jsonlLines(events: Iterable<Event>): Generator<string> {
  for (const event of events) yield `${formatEventJson(event)}\n`;
}

/** A whole history as one JSON Lines string; for big histories prefer jsonlLines or createJsonlWriter. */
export function writeJsonl(events: Iterable<Event>): string {
  let text = '';
  for (const line of jsonlLines(events)) text += line;
  return text;
}

export interface JsonlWriter {
  write(event: Event): void;
  /**
   * Flushes and moves the file into place: until then the path holds its old content, or nothing. If
   * that fails (the path is a directory, the disk is full), the temporary file is removed and the error
   * thrown.
   */
  close(): void;
  /** Throws away what was written; the path is left as it was. */
  abort(): void;
}

/** Writes events as a JSON Lines file that appears whole or not at all. */
export function writeJsonlFile(path: string, events: Iterable<Event>): void {
  const writer = createJsonlWriter(path);
  try {
    for (const event of events) writer.write(event);
  } catch (error) {
    writer.abort();
    throw error;
  }
  writer.close();
}

const FLUSH_AT = 1 << 16;
let writers = 0;

/**
 * Writes events to `path` as they come, in buffered chunks, through a temporary file beside it that
 * close() renames into place: a crash or a bad input halfway leaves no half-written history behind.
 */
export function createJsonlWriter(path: string): JsonlWriter {
  const temporary = `${path}.${process.pid}-${writers++}.tmp`;
  const fd = openSync(temporary, 'w');
  let buffer = '';
  let open = true;
  const flush = () => {
    // One write(2) may take only part of the bytes (a disk nearly full, a file size limit): write the
    // rest until it is all taken or the write fails, never leave it out.
    const bytes = Buffer.from(buffer, 'utf8');
    for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written, bytes.length - written);
    buffer = '';
  };
  const finish = () => {
    if (!open) throw new Error(`the JSON Lines writer for ${path} is already closed`);
    open = false;
  };
  return {
    write(event) {
      if (!open) throw new Error(`the JSON Lines writer for ${path} is already closed`);
      buffer += `${formatEventJson(event)}\n`;
      if (buffer.length >= FLUSH_AT) flush();
    },
    close() {
      finish();
      try {
        try {
          flush();
        } finally {
          closeSync(fd);
        }
        renameSync(temporary, path);
      } catch (error) {
        rmSync(temporary, { force: true });
        throw error;
      }
    },
    abort() {
      finish();
      closeSync(fd);
      unlinkSync(temporary);
    },
  };
}

/** What in `event` JSON has no way to write (`the value ##NaN`), or undefined when it can be written whole. */
export function unwritableValue(event: Event): string | undefined {
  for (const [field, value] of [
    ['value', event.value],
    ['error', event.error],
    ['time', event.time],
  ] as const) {
    const found = value === undefined ? undefined : firstNonFinite(value);
    if (found !== undefined) return `the ${field} holds ${symbolicName(found)}`;
  }
  return undefined;
}

function firstNonFinite(value: Value): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : value;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    const found = firstNonFinite(item as Value);
    if (found !== undefined) return found;
  }
  return undefined;
}

function symbolicName(n: number): string {
  return n === Infinity ? '##Inf' : n === -Infinity ? '##-Inf' : '##NaN';
}

/**
 * An event with a value JSON has no way to write: ##NaN, ##Inf and ##-Inf. Written as null they would
 * read back as another history (and another verdict), so the writer refuses them instead.
 */
export class UnwritableValueError extends Error {
  constructor(value: number) {
    super(`${symbolicName(value)} has no JSON form: JSON Lines cannot hold this history as it is`);
    this.name = 'UnwritableValueError';
  }
}

function jsonNumber(n: number): string {
  if (!Number.isFinite(n)) throw new UnwritableValueError(n);
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return n.toExponential();
  // JSON.stringify writes -0 as 0; "-0" reads back as -0.
  return Object.is(n, -0) ? '-0' : JSON.stringify(n);
}

function jsonValue(value: Value): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return jsonNumber(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    default: {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${(value as readonly Value[]).map(jsonValue).join(',')}]`;
      const object = value as { readonly [field: string]: Value };
      return `{${Object.keys(object)
        .map((field) => `${JSON.stringify(field)}:${jsonValue(object[field])}`)
        .join(',')}}`;
    }
  }
}

/** Events from JSON Lines; blank lines are skipped. Errors name the line, the column and what was expected. */
export function readJsonl(text: string, file?: string): SourcedEvents {
  return readWhole(jsonlReader(file), text);
}

/** readJsonl piece by piece: every piece but the last ends with a newline. */
export function jsonlReader(file?: string): ChunkReader {
  const source: SourcedEvents = { events: [], lines: [], columns: [] };
  let lineNumber = 0;
  let first = true;
  return {
    feed(text) {
      let start = first && text.charCodeAt(0) === 0xfeff ? 1 : 0;
      first = false;
      while (start < text.length) {
        lineNumber++;
        const newline = text.indexOf('\n', start);
        const end = newline < 0 ? text.length : newline;
        const line = text.slice(start, end);
        start = end + 1;
        if (line.charCodeAt(0) !== 123 && line.trim() === '') continue;
        const parsed = parseJson(line, file, lineNumber);
        source.events.push(jsonToEvent(parsed, file, lineNumber));
        source.lines.push(lineNumber);
        source.columns.push(1);
      }
    },
    finish() {
      if (source.events.length === 0) {
        throw new InputError('empty input: expected JSON Lines, one event object per line', { file, line: 1, column: 1 });
      }
      return source;
    },
  };
}

/**
 * JSON.parse, which is fast, unless the line held a number beyond 2^53: JSON.parse rounds an integer
 * literal there, so such a line (rare) is parsed again, exactly. A failed line is parsed again too, for
 * an error that says where and what was expected.
 */
export function parseJson(line: string, file: string | undefined, lineNumber: number): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return parseExactJson(line, file, lineNumber);
  }
  // JSON.parse takes any depth; everything after it (hashing, printing, writing) recurses, so the
  // same bound as the exact parser's (and EDN's) applies here.
  const found = inspectParsed(parsed, MAX_NESTING);
  if (found === TOO_DEEP) throw new InputError(`values nested more than ${MAX_NESTING} deep`, { file, line: lineNumber, column: 1 });
  return found === UNSAFE_NUMBER ? parseExactJson(line, file, lineNumber) : parsed;
}

/** True when arrays and objects in `value` nest more than `limit` deep; never looks deeper than that. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  return inspectParsed(value, limit) === TOO_DEEP;
}

const FINE = 0;
const UNSAFE_NUMBER = 1;
const TOO_DEEP = 2;

/** One walk for both things JSON.parse does not tell: nesting beyond `depthLeft`, integers beyond 2^53. */
function inspectParsed(value: unknown, depthLeft: number): number {
  if (typeof value === 'number') return value > Number.MAX_SAFE_INTEGER || value < Number.MIN_SAFE_INTEGER ? UNSAFE_NUMBER : FINE;
  if (typeof value !== 'object' || value === null) return FINE;
  if (depthLeft === 0) return TOO_DEEP;
  let found = FINE;
  if (Array.isArray(value)) {
    for (const item of value) {
      found = Math.max(found, inspectParsed(item, depthLeft - 1));
      if (found === TOO_DEEP) return found;
    }
    return found;
  }
  for (const field in value) {
    found = Math.max(found, inspectParsed((value as Record<string, unknown>)[field], depthLeft - 1));
    if (found === TOO_DEEP) return found;
  }
  return found;
}

export function jsonToEvent(parsed: unknown, file: string | undefined, line: number): Event {
  const where = { file, line, column: 1 };
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError('expected a JSON object: one event per line', where);
  }
  const fields = parsed as Record<string, unknown>;
  const { type, process, f } = fields;
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) throw wrongType(fields, 'type', where, '"invoke", "ok", "fail" or "info"');
  if (!isProcess(process)) throw wrongType(fields, 'process', where, 'an integer, or a string such as "nemesis"');
  if (typeof f !== 'string') throw wrongType(fields, 'f', where, 'a string such as "read"');
  const value = fields.value === undefined ? null : (fields.value as Value);
  const { key, time, index, node, epoch, error } = fields;
  if (time !== undefined && ((typeof time !== 'number' && typeof time !== 'bigint') || !Number.isFinite(Number(time)))) {
    throw wrongType(fields, 'time', where, 'a finite number of nanoseconds');
  }
  // The time (nearly every event has one) is in the literal, so it sits inside the object: a field
  // added later lives in a separate property array, some 40 bytes more per event.
  const event: { -readonly [K in keyof Event]: Event[K] } =
    time === undefined
      ? { type: type as EventType, process, f, value }
      : { type: type as EventType, process, f, value, time: Number(time) };
  if (key !== undefined) {
    if (!isKey(key)) throw wrongType(fields, 'key', where, 'a string or an integer');
    event.key = typeof key === 'bigint' ? key.toString() : key;
  }
  if (index !== undefined) {
    if (!Number.isSafeInteger(index)) throw wrongType(fields, 'index', where, 'an integer');
    event.index = index as number;
  }
  if (node !== undefined) {
    if (typeof node !== 'string') throw wrongType(fields, 'node', where, 'a string');
    event.node = node;
  }
  if (epoch !== undefined) {
    if (!Number.isSafeInteger(epoch)) throw wrongType(fields, 'epoch', where, 'an integer');
    event.epoch = epoch as number;
  }
  if (error !== undefined) event.error = error as Value;
  return event;
}

// A plain function, not a closure: jsonToEvent runs once per line of histories with millions of lines.
function wrongType(fields: Record<string, unknown>, field: string, where: SourcePosition, what: string): InputError {
  return new InputError(`expected "${field}" to be ${what}, found ${describeJson(fields[field])}`, where);
}

function isProcess(process: unknown): process is Process {
  return typeof process === 'string' || Number.isSafeInteger(process);
}

function isKey(key: unknown): key is Key | bigint {
  return typeof key === 'string' || typeof key === 'bigint' || Number.isSafeInteger(key);
}

function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);
  const text = JSON.stringify(value);
  return text.length <= 30 ? text : `${text.slice(0, 29)}…`;
}

/** Where the exact parser's text sits, so its errors name places in the reader's terms. */
export interface JsonPlaces {
  /** What the end of the text is called. */
  readonly end: string;
  /** The 1-based line and column of an offset into the text. */
  readonly at: (offset: number) => { readonly line: number; readonly column: number };
  /** An offset as a message names it ("column 7" on a line). */
  readonly name: (offset: number) => string;
}

/** One line of JSON Lines: the text is the line, places are its columns. */
function placesOnLine(line: number): JsonPlaces {
  return { end: 'the end of the line', at: (offset) => ({ line, column: offset + 1 }), name: (offset) => `column ${offset + 1}` };
}

/** A whole file of JSON: places are line:column. */
export function placesInFile(text: string): JsonPlaces {
  const at = (offset: number) => {
    const before = text.slice(0, offset);
    return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
  };
  return {
    end: 'the end of the file',
    at,
    name: (offset) => {
      const { line, column } = at(offset);
      return `${line}:${column}`;
    },
  };
}

/**
 * JSON for one line (or, given `places`, one file), with integers beyond 2^53 kept exact as bigint and
 * errors that say where and what was expected. Slower than JSON.parse; used only where JSON.parse falls short.
 */
export function parseExactJson(text: string, file?: string, line = 1, places: JsonPlaces = placesOnLine(line)): Value {
  let pos = 0;
  let depth = 0;
  const fail = (message: string, at = pos): never => {
    throw new InputError(message, { file, ...places.at(at) });
  };
  const found = () => (pos >= text.length ? places.end : JSON.stringify(text.slice(pos, pos + 10)));
  const skipSpace = () => {
    while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t' || text[pos] === '\r' || text[pos] === '\n')) pos++;
  };
  const expect = (char: string, what: string) => {
    skipSpace();
    if (text[pos] !== char) fail(`expected ${what}, found ${found()}`);
    pos++;
  };

  const readString = (): string => {
    const start = pos;
    pos++;
    let value = '';
    let from = pos;
    for (;;) {
      if (pos >= text.length) fail(`unterminated string: expected a closing " for the string opened at ${places.name(start)}`);
      const c = text.charCodeAt(pos);
      if (c === 34) break;
      if (c < 32) fail('a control character in a string: expected it escaped, such as \\n');
      if (c === 92) {
        value += text.slice(from, pos);
        const escapeChar = text[pos + 1];
        if (escapeChar === 'u') {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('expected four hex digits after \\u');
          value += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
        } else {
          const char = JSON_ESCAPES[escapeChar];
          if (char === undefined) fail(`invalid escape \\${escapeChar ?? ''}: expected one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`);
          value += char;
          pos += 2;
        }
        from = pos;
        continue;
      }
      pos++;
    }
    value += text.slice(from, pos);
    pos++;
    return value;
  };

  const readNumber = (): number | bigint => {
    JSON_NUMBER.lastIndex = pos;
    const match = JSON_NUMBER.exec(text);
    if (!match) return fail(`expected a value, found ${found()}`);
    pos += match[0].length;
    if (match[1] === undefined && match[2] === undefined) {
      const small = Number(match[0]);
      return Number.isSafeInteger(small) ? small : BigInt(match[0]);
    }
    return Number(match[0]);
  };

  const readValue = (): Value => {
    skipSpace();
    const c = text[pos];
    if (c === '{') return readObject();
    if (c === '[') return readArray();
    if (c === '"') return readString();
    for (const [word, value] of JSON_WORDS) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    return readNumber();
  };

  const enter = () => {
    if (++depth > MAX_NESTING) fail(`values nested more than ${MAX_NESTING} deep`);
  };

  const readArray = (): Value[] => {
    const opened = pos++;
    enter();
    const items: Value[] = [];
    skipSpace();
    if (text[pos] === ']') pos++;
    else {
      for (;;) {
        items.push(readValue());
        skipSpace();
        if (text[pos] === ']') {
          pos++;
          break;
        }
        if (text[pos] !== ',') fail(`expected , or ] in the array opened at ${places.name(opened)}, found ${found()}`);
        pos++;
      }
    }
    depth--;
    return items;
  };

  const readObject = (): { [field: string]: Value } => {
    const opened = pos++;
    enter();
    const object: { [field: string]: Value } = {};
    skipSpace();
    if (text[pos] === '}') pos++;
    else {
      for (;;) {
        skipSpace();
        if (text[pos] !== '"') fail(`expected a field name in double quotes, found ${found()}`);
        const field = readString();
        expect(':', `: after the field name ${JSON.stringify(field)}`);
        const value = readValue();
        if (field === '__proto__') Object.defineProperty(object, field, { value, enumerable: true, writable: true, configurable: true });
        else object[field] = value;
        skipSpace();
        if (text[pos] === '}') {
          pos++;
          break;
        }
        if (text[pos] !== ',') fail(`expected , or } in the object opened at ${places.name(opened)}, found ${found()}`);
        pos++;
      }
    }
    depth--;
    return object;
  };

  const value = readValue();
  skipSpace();
  if (pos < text.length) fail(`expected ${places.end} after the event, found ${found()}`);
  return value;
}

const JSON_NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

const JSON_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

const JSON_WORDS: readonly (readonly [string, Value])[] = [
  ['null', null],
  ['true', true],
  ['false', false],
];
