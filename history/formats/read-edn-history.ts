import type { Event, EventType, Key, Process } from '../event.ts';
import { InputError } from '../input-error.ts';
import type { Value } from '../value.ts';
import { valueKey } from '../value.ts';
import type { EdnForm, EdnMap, EdnOpenSequence, EdnPosition } from './edn.ts';
import { EdnIncomplete, EdnReader } from './edn.ts';
import { splitKeyedEvents } from './keyed-events.ts';
import type { ChunkReader, ReaderOptions, SourcedEvents } from './sourced-events.ts';
import { readWhole } from './sourced-events.ts';

// Jepsen's EDN histories: one vector (or list) of operation maps, as Knossos' data files are, or one map
// per top-level form, as Jepsen's history.edn is. Each map becomes an Event; fields we do not know are
// left out, fields we know must have the right type.

export function readEdnEvents(text: string, options: ReaderOptions = {}): SourcedEvents {
  return readWhole(ednReader(options), text);
}

/** The longest single form (an operation map, or the text before the history vector's first) read piece by piece. */
export const MAX_FORM_LENGTH = 256 * 1024 * 1024;

type Phase = 'start' | 'elements' | 'forms' | 'after';

/**
 * readEdnEvents piece by piece: every piece but the last ends with whitespace. A form cut by the end
 * of a piece is read again, whole, with the next one; the history vector is stepped through element
 * by element, so a million-operation vector never exists as one syntax tree, nor its text as one string.
 */
export function ednReader(options: ReaderOptions = {}): ChunkReader {
  const { file } = options;
  const source: SourcedEvents = { events: [], lines: [], columns: [] };
  let phase: Phase = 'start';
  let opened: EdnOpenSequence | undefined;
  /** Text of a form cut by the end of the last piece, and where it starts in the file. */
  let carry = '';
  let origin: EdnPosition = { line: 1, column: 1 };
  let waiting: string[] = [];
  let waitingLength = 0;
  let first = true;
  const add = (form: EdnForm) => {
    source.events.push(ednToEvent(form, file));
    source.lines.push(form.line);
    source.columns.push(form.column);
  };
  const read = (reader: EdnReader, last: boolean): void => {
    for (;;) {
      if (phase === 'start') {
        if (reader.atEnd()) {
          if (!last) return;
          throw new InputError('empty input: expected a Jepsen history, a vector of operation maps or one map per line', {
            file,
            ...reader.position(),
          });
        }
        opened = reader.enterSequence();
        phase = opened ? 'elements' : 'forms';
      } else if (phase === 'elements') {
        const form = reader.nextElement(opened!);
        if (form === undefined) phase = 'after';
        else add(form);
      } else if (phase === 'forms') {
        if (reader.atEnd()) return;
        add(reader.read());
      } else {
        if (reader.atEnd()) return;
        throw new InputError(
          `expected the end of input after the history ${opened!.kind} opened at ${opened!.line}:${opened!.column}: a history is one ${opened!.kind} of operations, or one operation map per line`,
          { file, ...reader.position() },
        );
      }
      // Past a whole form: the next cut form starts from here.
      carryFrom = reader.offset();
      carryAt = reader.position();
    }
  };
  let carryFrom = 0;
  let carryAt: EdnPosition = origin;
  return {
    feed(piece, last) {
      waiting.push(piece);
      waitingLength += piece.length;
      // A form longer than a piece is read again each time more comes: wait for at least as much text
      // again as is carried, so that reading it stays linear in its length.
      if (!last && waitingLength < carry.length) return;
      const text = carry + waiting.join('');
      waiting = [];
      waitingLength = 0;
      const reader = new EdnReader(text, file, origin, { more: !last, depth: phase === 'elements' ? 1 : 0, byteOrderMark: first });
      first = false;
      carryFrom = 0;
      carryAt = origin;
      try {
        read(reader, last);
        carryFrom = reader.offset();
        carryAt = reader.position();
      } catch (error) {
        if (!(error instanceof EdnIncomplete)) throw error;
      }
      carry = text.slice(carryFrom);
      origin = carryAt;
      if (carry.length > MAX_FORM_LENGTH) {
        throw new InputError(`a form longer than ${MAX_FORM_LENGTH / 2 ** 20} MiB: expected operation maps of a sane size`, {
          file,
          ...origin,
        });
      }
    },
    finish() {
      return options.keyed ? splitKeyedEvents(source, file) : source;
    },
  };
}

const EVENT_TYPES: ReadonlySet<string> = new Set<EventType>(['invoke', 'ok', 'fail', 'info']);

/** One operation map (or a record literal such as `#jepsen.history.Op{...}`) as an Event. */
function ednToEvent(form: EdnForm, file?: string): Event {
  const map = form.kind === 'tagged' && form.value.kind === 'map' ? form.value : form;
  if (map.kind !== 'map') {
    throw new InputError(
      `expected an operation map such as {:type :invoke, :process 0, :f :read, :value nil}, found ${describeForm(map)}`,
      {
        file,
        line: map.line,
        column: map.column,
      },
    );
  }
  return readEvent(map, file);
}

const REQUIRED_FIELD_HINT = {
  type: ':type :invoke, :ok, :fail or :info',
  process: ':process with an integer, or a keyword such as :nemesis',
  f: ':f with the function, e.g. :f :read',
} as const;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function readEvent(map: EdnMap, file: string | undefined): Event {
  let type: EventType | undefined;
  let process: Process | undefined;
  let f: string | undefined;
  let value: Value = null;
  let key: Key | undefined;
  let time: number | undefined;
  let index: number | undefined;
  let node: string | undefined;
  let epoch: number | undefined;
  let error: Value | undefined;
  for (let i = 0; i < map.keys.length; i++) {
    const fieldKey = map.keys[i];
    if (fieldKey.kind !== 'keyword') continue;
    const name = fieldKey.name;
    const field = map.values[i];
    switch (name) {
      case 'type': {
        const typeName = nameOf(field);
        if (typeName === undefined || !EVENT_TYPES.has(typeName)) throw wrongType(name, field, ':invoke, :ok, :fail or :info', file);
        type = typeName as EventType;
        break;
      }
      case 'process':
        process = processOf(field);
        if (process === undefined) throw wrongType(name, field, 'an integer or a keyword such as :nemesis', file);
        break;
      case 'f':
        f = nameOf(field);
        if (f === undefined) throw wrongType(name, field, 'a keyword such as :read', file);
        break;
      case 'value':
        value = ednToValue(field);
        break;
      case 'key':
        key = keyOf(field);
        if (key === undefined) throw wrongType(name, field, 'an integer, a keyword or a string', file);
        break;
      case 'time':
        // ##NaN, ##Inf and a 500-digit integer are no time: they would order nothing and print as nothing.
        if ((field.kind !== 'integer' && field.kind !== 'float') || !Number.isFinite(Number(field.value))) {
          throw wrongType(name, field, 'a finite number of nanoseconds', file);
        }
        time = Number(field.value);
        break;
      case 'index':
        if (field.kind !== 'integer' || typeof field.value !== 'number') throw wrongType(name, field, 'an integer', file);
        index = field.value;
        break;
      case 'node':
        node = nameOf(field);
        if (node === undefined) throw wrongType(name, field, 'a string or a keyword naming a server', file);
        break;
      case 'epoch':
        if (field.kind !== 'integer' || typeof field.value !== 'number') throw wrongType(name, field, 'an integer', file);
        epoch = field.value;
        break;
      case 'error':
        error = ednToValue(field);
        break;
    }
  }
  const missing = type === undefined ? 'type' : process === undefined ? 'process' : f === undefined ? 'f' : undefined;
  if (missing !== undefined) {
    throw new InputError(`this operation has no :${missing}: expected ${REQUIRED_FIELD_HINT[missing]}`, {
      file,
      line: map.line,
      column: map.column,
    });
  }
  const event: Mutable<Event> = { type: type as EventType, process: process as Process, f: f as string, value };
  if (key !== undefined) event.key = key;
  if (time !== undefined) event.time = time;
  if (index !== undefined) event.index = index;
  if (node !== undefined) event.node = node;
  if (epoch !== undefined) event.epoch = epoch;
  if (error !== undefined) event.error = error;
  return event;
}

// A plain function rather than a closure in readEvent's loop: that loop runs once per field of every event.
function wrongType(name: string, field: EdnForm, what: string, file: string | undefined): InputError {
  return new InputError(`expected :${name} to be ${what}, found ${describeForm(field)}`, { file, line: field.line, column: field.column });
}

function nameOf(form: EdnForm): string | undefined {
  if (form.kind === 'keyword' || form.kind === 'symbol') return form.name;
  if (form.kind === 'string') return form.value;
  return undefined;
}

function processOf(form: EdnForm): Process | undefined {
  if (form.kind === 'integer') return typeof form.value === 'number' ? form.value : undefined;
  return nameOf(form);
}

function keyOf(form: EdnForm): Key | undefined {
  if (form.kind === 'integer') return typeof form.value === 'number' ? form.value : form.value.toString();
  return nameOf(form);
}

/**
 * The history value of a form: keywords and symbols become their names (":read" -> "read"), lists and
 * sets become arrays, map keys become strings, tagged values are their value, big integers stay bigint.
 * A set has no order, so its array is put in one canonical order (by valueKey) and repeats dropped:
 * `#{1 2}` and `#{2 1}` are the same value wherever values are compared, hashed or printed.
 */
export function ednToValue(form: EdnForm): Value {
  switch (form.kind) {
    case 'nil':
      return null;
    case 'boolean':
    case 'integer':
    case 'float':
    case 'string':
    case 'char':
      return form.value;
    case 'keyword':
    case 'symbol':
      return form.name;
    case 'vector':
    case 'list':
      return form.items.map(ednToValue);
    case 'set':
      return canonicalSet(form.items.map(ednToValue));
    case 'tagged':
      return ednToValue(form.value);
    case 'map':
      return mapToObject(form);
  }
}

function canonicalSet(items: Value[]): Value[] {
  const byKey = new Map<string, Value>();
  for (const item of items) byKey.set(valueKey(item), item);
  return [...byKey.entries()].sort(compareElements).map(([, item]) => item);
}

function isOrderedNumber(value: Value): boolean {
  return typeof value === 'bigint' || (typeof value === 'number' && !Number.isNaN(value));
}

/** Numbers by size (so a printed set reads #{1 2 10}), then everything else by its canonical key. */
function compareElements([keyA, a]: [string, Value], [keyB, b]: [string, Value]): number {
  const numberA = isOrderedNumber(a);
  const numberB = isOrderedNumber(b);
  if (numberA !== numberB) return numberA ? -1 : 1;
  if (numberA && a !== b) {
    if ((a as number) < (b as number)) return -1;
    if ((a as number) > (b as number)) return 1;
  }
  return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
}

function mapToObject(map: EdnMap): Value {
  const object: { [field: string]: Value } = {};
  for (let i = 0; i < map.keys.length; i++) {
    const key = fieldName(map.keys[i]);
    const value = ednToValue(map.values[i]);
    // An own "__proto__" field, never a prototype swap.
    if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
    else object[key] = value;
  }
  return object;
}

/** Map keys as object field names; composite keys are written in EDN notation. */
function fieldName(form: EdnForm): string {
  switch (form.kind) {
    case 'keyword':
    case 'symbol':
      return form.name;
    case 'string':
    case 'char':
      return form.value;
    case 'nil':
      return 'nil';
    case 'boolean':
    case 'integer':
    case 'float':
      return String(form.value);
    case 'tagged':
      return fieldName(form.value);
    case 'vector':
      return `[${form.items.map(fieldName).join(' ')}]`;
    case 'list':
      return `(${form.items.map(fieldName).join(' ')})`;
    case 'set':
      return `#{${[...new Set(form.items.map(fieldName))].sort().join(' ')}}`;
    case 'map':
      // Entries in a canonical order too: {:a 1 :b 2} and {:b 2 :a 1} are one key.
      return `{${form.keys
        .map((k, i) => `${fieldName(k)} ${fieldName(form.values[i])}`)
        .sort()
        .join(', ')}}`;
  }
}

/** A form as an error message names it: the token itself when short, else its kind. */
export function describeForm(form: EdnForm): string {
  switch (form.kind) {
    case 'nil':
      return 'nil';
    case 'boolean':
    case 'integer':
    case 'float':
      return String(form.value);
    case 'string':
      return form.value.length <= 30 ? JSON.stringify(form.value) : 'a long string';
    case 'char':
      return `the character ${JSON.stringify(form.value)}`;
    case 'keyword':
      return `:${form.name}`;
    case 'symbol':
      return `the symbol ${form.name}`;
    case 'tagged':
      return `a #${form.tag} value`;
    default:
      return `a ${form.kind}`;
  }
}
