import { readFileSync } from 'node:fs';
import { InputError, MalformedHistoryError } from './input-error.ts';
import { readJsonl } from './jsonl.ts';
import { splitKeyedEvents } from './keyed-events.ts';
import type { History, PairOptions } from './operation.ts';
import { buildHistory } from './operation.ts';
import { readEdnEvents } from './read-edn-history.ts';
import { readJsonArrayEvents } from './read-json-history.ts';
import { readLogEvents } from './read-log-history.ts';
import type { ReaderOptions, SourcedEvents } from './sourced-events.ts';

// One entry point for every history file leaderlog reads: the format is recognised from the content
// (a file name says little: Jepsen writes history.edn, history.txt and jepsen.log), or forced.
// Input with nothing in it is an error, not an empty history: an empty file is far more often a
// recorder that died than a run with no operations. An explicitly empty EDN vector `[]` is an empty history.

export type HistoryFormat = 'edn' | 'log' | 'jsonl' | 'json';

export const HISTORY_FORMATS: readonly HistoryFormat[] = ['edn', 'log', 'jsonl', 'json'];

export interface ReadOptions extends ReaderOptions {
  readonly format?: HistoryFormat;
}

export interface ReadHistoryOptions extends ReadOptions, PairOptions {}

// A JSON object line starts with a quoted field name and a colon; an EDN map with string keys has no colon.
const JSON_OBJECT_START = /^\{\s*"(?:[^"\\]|\\.)*"\s*:/;
const EDN_START = /^[[({;#]/;
// A JSON array of event objects (elle-cli's history.json), however its lines are broken.
const JSON_ARRAY_START = /^\s*\[\s*\{\s*"(?:[^"\\]|\\.)*"\s*:/;
// Some log formats open a line with a bracketed timestamp, which is not an EDN vector.
const BRACKETED_TIMESTAMP = /^\[\d{4}-\d\d-\d\d/;

/** Which reader suits `text`, judged from its first non-blank line. */
export function detectFormat(text: string): HistoryFormat {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (JSON_ARRAY_START.test(body.slice(0, 4096))) return 'json';
  const first = /^[ \t\r]*(\S[^\n]*)/m.exec(body)?.[1] ?? '';
  if (JSON_OBJECT_START.test(first)) return 'jsonl';
  if (EDN_START.test(first) && !BRACKETED_TIMESTAMP.test(first)) return 'edn';
  return 'log';
}

/** The events of a history in file order, with the line each came from (lines[i] for events[i]). */
export function readEvents(text: string, options: ReadOptions = {}): SourcedEvents {
  if (/^\uFEFF?\s*$/.test(text)) {
    throw new InputError('empty input: expected a history (Jepsen EDN, Jepsen log lines, JSON Lines or a JSON array)', { file: options.file, line: 1, column: 1 });
  }
  const format = options.format ?? detectFormat(text);
  switch (format) {
    case 'edn':
      return readEdnEvents(text, options);
    case 'log':
      return readLogEvents(text, options);
    case 'json':
      return readJsonArrayEvents(text, options);
    case 'jsonl': {
      const source = readJsonl(text, options.file);
      return options.keyed ? splitKeyedEvents(source, options.file) : source;
    }
  }
}

/** A paired history; a pairing problem becomes an InputError at the offending event's line. */
export function readHistory(text: string, options: ReadHistoryOptions = {}): History {
  const source = readEvents(text, options);
  try {
    return buildHistory(source.events, { sortByTime: options.sortByTime });
  } catch (error) {
    if (!(error instanceof MalformedHistoryError)) throw error;
    throw new InputError(error.message, {
      file: options.file,
      line: source.lines[error.eventIndex],
      column: source.columns[error.eventIndex],
    });
  }
}

/** readHistory on a file; `file` in errors defaults to the path. A missing or unreadable file is an InputError. */
export function readHistoryFile(path: string, options: ReadHistoryOptions = {}): History {
  return readHistory(readHistoryText(path), { ...options, file: options.file ?? path });
}

/** The text of a history file, or an InputError naming it. */
export function readHistoryText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputError(`cannot read the history file: ${reason}`, { file: path });
  }
}
