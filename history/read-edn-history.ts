import type { EdnForm, EdnMap } from './edn.ts';
import { EdnReader } from './edn.ts';
import type { Event, EventType, Key, Process } from './event.ts';
import { InputError } from './input-error.ts';
import { splitKeyedEvents } from './keyed-events.ts';
import type { ReaderOptions, SourcedEvents } from './sourced-events.ts';
import type { Value } from './value.ts';
import { valueKey } from './value.ts';

// Jepsen's EDN histories: one vector (or list) of operation maps, as Knossos' data files are, or one map
// per top-level form, as Jepsen's history.edn is. Each map becomes an Event; fields we do not know are
// left out, fields we know must have the right type.

export function readEdnEvents(text: string, options: ReaderOptions = {}): SourcedEvents {
  const { file } = options;
  const reader = new EdnReader(text, file);
  if (reader.atEnd()) {
    throw new InputError('empty input: expected a Jepsen history, a vector of operation maps or one map per line', {
      file,
      ...reader.position(),
    });
  }
  const source: SourcedEvents = { events: [], lines: [], columns: [] };
  const add = (form: EdnForm) => {
    source.events.push(ednToEvent(form, file));
    source.lines.push(form.line);
    source.columns.push(form.column);
  };
  const opened = reader.enterSequence();
  if (opened) {
    // Element by element, so a million-operation vector never exists as one syntax tree.
    for (let form = reader.nextElement(opened); form !== undefined; form = reader.nextElement(opened)) add(form);
    if (!reader.atEnd()) {
      throw new InputError(
        `expected the end of input after the history ${opened.kind} opened at ${opened.line}:${opened.column}: a history is one ${opened.kind} of operations, or one operation map per line`,
        { file, ...reader.position() },
      );
    }
  } else {
    while (!reader.atEnd()) add(reader.read());
  }
  return options.keyed ? splitKeyedEvents(source, file) : source;
}

const EVENT_TYPES: ReadonlySet<string> = new Set<EventType>(['invoke', 'ok', 'fail', 'info']);

/** One operation map (or a record literal such as `#jepsen.history.Op{...}`) as an Event. */
export function ednToEvent(form: EdnForm, file?: string): Event {
  const map = form.kind === 'tagged' && form.value.kind === 'map' ? form.value : form;
  if (map.kind !== 'map') {
    throw new InputError(`expected an operation map such as {:type :invoke, :process 0, :f :read, :value nil}, found ${describeForm(map)}`, {
      file,
      line: map.line,
      column: map.column,
    });
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
        if (field.kind !== 'integer' && field.kind !== 'float') throw wrongType(name, field, 'a number of nanoseconds', file);
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
