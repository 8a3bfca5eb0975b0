import type { EdnForm, EdnMap } from './edn.ts';
import { EdnReader } from './edn.ts';
import type { Event, EventType, Key, Process } from './event.ts';
import { InputError } from './input-error.ts';
import { splitKeyedEvents } from './keyed-events.ts';
import type { ReaderOptions, SourcedEvents } from './sourced-events.ts';
import type { Value } from './value.ts';

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
  const optional: Mutable<Omit<Event, 'type' | 'process' | 'f' | 'value'>> = {};
  for (let i = 0; i < map.keys.length; i++) {
    const key = map.keys[i];
    if (key.kind !== 'keyword') continue;
    const field = map.values[i];
    const expected = (what: string) =>
      new InputError(`expected :${key.name} to be ${what}, found ${describeForm(field)}`, { file, line: field.line, column: field.column });
    switch (key.name) {
      case 'type': {
        const name = nameOf(field);
        if (name === undefined || !EVENT_TYPES.has(name)) throw expected(':invoke, :ok, :fail or :info');
        type = name as EventType;
        break;
      }
      case 'process':
        process = processOf(field);
        if (process === undefined) throw expected('an integer or a keyword such as :nemesis');
        break;
      case 'f':
        f = nameOf(field);
        if (f === undefined) throw expected('a keyword such as :read');
        break;
      case 'value':
        value = ednToValue(field);
        break;
      case 'key': {
        const k = keyOf(field);
        if (k === undefined) throw expected('an integer, a keyword or a string');
        optional.key = k;
        break;
      }
      case 'time':
        if (field.kind !== 'integer' && field.kind !== 'float') throw expected('a number of nanoseconds');
        optional.time = Number(field.value);
        break;
      case 'index':
        if (field.kind !== 'integer' || typeof field.value !== 'number') throw expected('an integer');
        optional.index = field.value;
        break;
      case 'node': {
        const name = nameOf(field);
        if (name === undefined) throw expected('a string or a keyword naming a server');
        optional.node = name;
        break;
      }
      case 'epoch':
        if (field.kind !== 'integer' || typeof field.value !== 'number') throw expected('an integer');
        optional.epoch = field.value;
        break;
      case 'error':
        optional.error = ednToValue(field);
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
  return { type: type as EventType, process: process as Process, f: f as string, value, ...optional };
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
    case 'set':
      return form.items.map(ednToValue);
    case 'tagged':
      return ednToValue(form.value);
    case 'map':
      return mapToObject(form);
  }
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
      return `#{${form.items.map(fieldName).join(' ')}}`;
    case 'map':
      return `{${form.keys.map((k, i) => `${fieldName(k)} ${fieldName(form.values[i])}`).join(', ')}}`;
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
