import type { Event, EventType, Process } from '../event.ts';
import { InputError } from '../input-error.ts';
import type { Value } from '../value.ts';
import type { EdnForm } from './edn.ts';
import { EdnReader, parseEdn } from './edn.ts';
import { splitKeyedEvents } from './keyed-events.ts';
import { describeForm, ednToValue } from './read-edn-history.ts';
import type { ChunkReader, ReaderOptions, SourcedEvents } from './sourced-events.ts';
import { readWhole } from './sourced-events.ts';

// Jepsen's console logs and history.txt. Every variant ends a line with the same payload, written by
// jepsen.util/op->str: `process TAB type TAB f TAB value [TAB error]` (some logs pad with spaces instead
// of tabs). What comes before it differs:
//   INFO  jepsen.util - 3	:invoke	:read	nil                                       (log4j)
//   INFO [2017-03-30 23:00:51,065] jepsen worker 0 - jepsen.util 0	:invoke	:read	nil  (logback)
//   2021-02-26 23:39:01,300{GMT}	INFO	[jepsen worker 1] jepsen.util: 1	:invoke	:read	nil
//   3	:invoke	:read	nil                                                             (history.txt)
//   ... jepsen.util: [ 2327886777 ] 3	:invoke	:read	nil                                    (a fork's clock)
// Lines without such a payload (setup chatter, stack traces, checker output) are skipped.

const LOGGER = 'jepsen.util';
/** process, then the type; the f and value are EDN read from where this match ends. */
const OP_PAYLOAD = /^(-?\d+|:[^\s]+)[\t ]+:(invoke|ok|fail|info)[\t ]+/;
const TIMESTAMP = /(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)[,.](\d{3})/;

export function readLogEvents(text: string, options: ReaderOptions = {}): SourcedEvents {
  return readWhole(logReader(options), text);
}

/**
 * Lines that look like an event of another format (a JSON object or EDN map with a type) are not
 * chatter: a history that mixes formats would be judged by half its operations. They are counted and
 * refused, unless the caller asked for them to be skipped (and then says how many were).
 */
const FOREIGN_EVENT = /^\s*[[{(#].*(?::type\b|"type"\s*:)/;

/** Endless input with no operation in it (`yes`, a wrong file) stops here rather than never. */
const NO_OPERATION_LIMIT = 64 * 1024 * 1024;

/** readLogEvents piece by piece: every piece but the last ends with a newline. */
export function logReader(options: ReaderOptions = {}): ChunkReader {
  const { file } = options;
  const source: SourcedEvents = { events: [], lines: [], columns: [] };
  // Old Jepsen logged a timed-out completion with the value :timed-out: it keeps what was asked.
  const pendingValues = new Map<Process, Value>();
  let firstMillis: number | undefined;
  let lineNumber = 0;
  let consumed = 0;
  let foreign = 0;
  let firstForeign = 0;
  let first = true;
  const feedLine = (line: string) => {
    const logger = line.indexOf(LOGGER);
    const payloadStart = logger < 0 ? 0 : skipLoggerSeparator(line, logger + LOGGER.length);
    const payload = payloadStart === 0 ? line : line.slice(payloadStart);
    const match = OP_PAYLOAD.exec(payload);
    if (!match) {
      if (FOREIGN_EVENT.test(line)) {
        foreign++;
        firstForeign ||= lineNumber;
      }
      return;
    }

    const process = match[1].startsWith(':') ? match[1].slice(1) : Number(match[1]);
    if (typeof process === 'number' && !Number.isSafeInteger(process)) {
      throw new InputError(`process ${match[1]} is too large: expected an integer below 2^53`, {
        file,
        line: lineNumber,
        column: payloadStart + 1,
      });
    }
    let type = match[2] as EventType;
    const reader = new EdnReader(payload.slice(match[0].length), file, { line: lineNumber, column: payloadStart + match[0].length + 1 });
    const f = readF(reader, file);
    if (reader.atEnd()) throw new InputError("expected the operation's value after its f", { file, ...reader.position() });
    const valueForm = reader.read();
    let value = ednToValue(valueForm);
    if (type === 'invoke') {
      pendingValues.set(process, value);
    } else {
      if (valueForm.kind === 'keyword' && valueForm.name === 'timed-out') {
        type = 'info';
        value = pendingValues.get(process) ?? null;
      }
      pendingValues.delete(process);
    }

    const event: { -readonly [K in keyof Event]: Event[K] } = { type, process, f, value };
    const error = readError(reader.rest());
    if (error !== undefined) event.error = error;
    const stamp = logger > 0 ? TIMESTAMP.exec(line.slice(0, logger)) : null;
    if (stamp) {
      const millis = Date.UTC(+stamp[1], +stamp[2] - 1, +stamp[3], +stamp[4], +stamp[5], +stamp[6], +stamp[7]);
      firstMillis ??= millis;
      // Relative to the first operation, in nanoseconds, as Jepsen's own :time is.
      event.time = (millis - firstMillis) * 1e6;
    }
    source.events.push(event);
    source.lines.push(lineNumber);
    source.columns.push(payloadStart + 1);
  };
  return {
    feed(text) {
      for (let start = first && text.charCodeAt(0) === 0xfeff ? 1 : 0; start < text.length; ) {
        lineNumber++;
        const newline = text.indexOf('\n', start);
        const end = newline < 0 ? text.length : newline;
        feedLine(text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end));
        start = end + 1;
      }
      first = false;
      consumed += text.length;
      if (source.events.length === 0 && consumed > NO_OPERATION_LIMIT) {
        throw new InputError(
          `no operations in the first ${NO_OPERATION_LIMIT / 2 ** 20} MiB: expected Jepsen log lines such as \`0 :invoke :read nil\``,
          {
            file,
            line: 1,
            column: 1,
          },
        );
      }
    },
    finish() {
      if (source.events.length === 0) {
        throw new InputError(
          'no operations found: expected an EDN history, JSON Lines, or Jepsen log lines such as `INFO  jepsen.util - 0 :invoke :read nil` or `0 :invoke :read nil` (history.txt)',
          { file, line: 1, column: 1 },
        );
      }
      if (foreign > 0 && !options.skipForeignLines) {
        throw new InputError(
          `this line looks like an event in another format (JSON Lines or EDN), but the history reads as Jepsen log lines; ${foreign} such line${foreign === 1 ? '' : 's'} would be left out: give one format per file, or --skip-foreign-lines to leave them out`,
          { file, line: firstForeign, column: 1 },
        );
      }
      const result = options.keyed ? splitKeyedEvents(source, file) : source;
      return foreign > 0 ? { ...result, skipped: { lines: foreign, first: firstForeign } } : result;
    },
  };
}

/** After "jepsen.util": " - " (log4j, logback) or ": " (newer logback), then the payload. */
function skipLoggerSeparator(line: string, from: number): number {
  let i = from;
  if (line[i] === ':') i++;
  while (line[i] === ' ' || line[i] === '\t') i++;
  if (line[i] === '-' && (line[i + 1] === ' ' || line[i + 1] === '\t')) i++;
  while (line[i] === ' ' || line[i] === '\t') i++;
  const stamp = line[i] === '[' ? BRACKETED_NUMBER.exec(line.slice(i, i + 40)) : null;
  return stamp ? i + stamp[0].length : i;
}

/** Some Jepsen forks log a bracketed clock reading before the payload: `jepsen.util: [ 2327886777 ] 3	:invoke ...`. */
const BRACKETED_NUMBER = /^\[[\t ]*\d+[\t ]*\][\t ]+/;

function readF(reader: EdnReader, file: string | undefined): string {
  const form: EdnForm = reader.read();
  if (form.kind === 'keyword' || form.kind === 'symbol') return form.name;
  if (form.kind === 'string') return form.value;
  throw new InputError(`expected the operation's f, a keyword such as :read, found ${describeForm(form)}`, {
    file,
    line: form.line,
    column: form.column,
  });
}

/**
 * Jepsen prints the error with `print`, not `pr`: often EDN (`:timeout`, `[:not-found "..."]`), but a
 * message like `Read timed out` is not. EDN when it reads as exactly one form, the raw text otherwise.
 */
function readError(rest: string): Value | undefined {
  const text = rest.trim();
  if (text === '') return undefined;
  try {
    const forms = parseEdn(text);
    if (forms.length === 1) return ednToValue(forms[0]);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
  }
  return text;
}
