import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { InputError, MalformedHistoryError, readFailureReason } from '../input-error.ts';
import type { History, PairOptions } from '../operation.ts';
import { buildHistory } from '../operation.ts';
import { jsonlReader } from './jsonl.ts';
import { splitKeyedEvents } from './keyed-events.ts';
import { memoryGuard } from './memory-guard.ts';
import { ednReader, MAX_FORM_LENGTH } from './read-edn-history.ts';
import { jsonArrayReader } from './read-json-history.ts';
import { logReader } from './read-log-history.ts';
import type { ChunkReader, ReaderOptions, SourcedEvents } from './sourced-events.ts';
import { readWhole } from './sourced-events.ts';

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

/** How much of the start of a text detectFormat looks at, at most. */
const DETECTION_CHARS = 4096;

/** Which reader suits `text`, judged from its first non-blank line (a JSON array: its first 4 KiB). */
export function detectFormat(text: string): HistoryFormat {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (JSON_ARRAY_START.test(body.slice(0, DETECTION_CHARS))) return 'json';
  const first = /^[ \t\r]*(\S[^\n]*)/m.exec(body)?.[1] ?? '';
  if (JSON_OBJECT_START.test(first)) return 'jsonl';
  if (EDN_START.test(first) && !BRACKETED_TIMESTAMP.test(first)) return 'edn';
  return 'log';
}

/** The events of a history in file order, with the line each came from (lines[i] for events[i]). */
export function readEvents(text: string, options: ReadOptions = {}): SourcedEvents {
  if (/^\uFEFF?\s*$/.test(text)) throw emptyInput(options.file);
  refuseBinary(text.slice(0, firstLineEnd(text)), options.file);
  return readWhole(chunkReader(options.format ?? detectFormat(text), options), text);
}

function emptyInput(file: string | undefined): InputError {
  return new InputError('empty input: expected a history (Jepsen EDN, Jepsen log lines, JSON Lines or a JSON array)', {
    file,
    line: 1,
    column: 1,
  });
}

function chunkReader(format: HistoryFormat, options: ReaderOptions): ChunkReader {
  switch (format) {
    case 'edn':
      return ednReader(options);
    case 'log':
      return logReader(options);
    case 'json':
      return jsonArrayReader(options);
    case 'jsonl': {
      const reader = jsonlReader(options.file);
      return options.keyed ? { feed: reader.feed, finish: () => splitKeyedEvents(reader.finish(), options.file) } : reader;
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

/** readHistory on a file (`-`: standard input); `file` in errors defaults to the path. */
export function readHistoryFile(path: string, options: ReadHistoryOptions = {}): History {
  return readSourcedHistoryFile(path, options).history;
}

/** readHistoryFile, with where each event came from, for errors found after pairing. */
export function readSourcedHistoryFile(
  path: string,
  options: ReadHistoryOptions = {},
): { readonly source: SourcedEvents; readonly history: History } {
  const file = historyName(options.file ?? path);
  const source = readEventsFromFile(path, { ...options, file });
  try {
    return { source, history: buildHistory(source.events, { sortByTime: options.sortByTime }) };
  } catch (error) {
    if (!(error instanceof MalformedHistoryError)) throw error;
    throw new InputError(error.message, { file, line: source.lines[error.eventIndex], column: source.columns[error.eventIndex] });
  }
}

/** What to tell a user who asked for foreign lines to be skipped. */
export function skippedWarning(file: string, skipped: NonNullable<SourcedEvents['skipped']>): string {
  return `${file}:${skipped.first}: warning: left out ${skipped.lines} line${skipped.lines === 1 ? '' : 's'} that look like events in another format (--skip-foreign-lines)`;
}

/** The path that means standard input, as Unix tools take it. */
export const STDIN = '-';

/** How a history is named in errors and reports: its path, or "(standard input)" for `-`. */
export function historyName(path: string): string {
  return path === STDIN ? '(standard input)' : path;
}

/** How much of the input is read at a time. */
const PIECE_BYTES = 8 * 1024 * 1024;

/**
 * The events of a history file, read piece by piece: memory holds the events, never the whole text,
 * so the size of a history is bounded by the memory its events need (see memory-guard.ts), not by
 * the longest string Node can make. `-` reads standard input. Limits on hostile input: a NUL byte
 * before the first line ends is refused as binary; a line (EDN: a form) longer than 256 MiB, or no
 * operation at all in the first 64 MiB of a log, is an error rather than a read that never ends.
 */
export function readEventsFromFile(path: string, options: ReadOptions = {}, pieceBytes = PIECE_BYTES): SourcedEvents {
  const file = historyName(options.file ?? path);
  const guard = memoryGuard(file);
  let fd: number;
  try {
    fd = path === STDIN ? 0 : openSync(path, 'r');
    if (path !== STDIN && fstatSync(fd).isDirectory()) throw Object.assign(new Error('a directory'), { code: 'EISDIR' });
  } catch (error) {
    throw cannotRead(file, error);
  }
  try {
    guard.expect(path === STDIN ? undefined : fstatSync(fd).size);
    const decoder = new StringDecoder('utf8');
    const bytes = Buffer.allocUnsafe(pieceBytes);
    let reader: ChunkReader | undefined;
    let format = options.format;
    let pending = '';
    // How much of `pending` is known to hold no place to cut (what was left after the last cut).
    let uncut = 0;
    let lineNumber = 1;
    for (;;) {
      const count = readPiece(fd, bytes, file);
      const last = count === 0;
      pending += last ? decoder.end() : decoder.write(bytes.subarray(0, count));
      guard.read(count);
      if (!reader) {
        // The format is judged from the first non-blank line (a JSON array from its first 4 KiB), so
        // wait until both are in.
        const firstLine = hasFirstLine(pending);
        if ((!firstLine || pending.length < DETECTION_CHARS) && !last) {
          refuseBinary(firstLine ? pending.slice(0, firstLineEnd(pending)) : pending, file);
          if (pending.length > MAX_FORM_LENGTH) throw tooLong(file, 1, 'no line break');
          continue;
        }
        if (/^\uFEFF?\s*$/.test(pending)) throw emptyInput(file);
        refuseBinary(pending.slice(0, firstLineEnd(pending)), file);
        format ??= detectFormat(pending);
        reader = chunkReader(format, { ...options, file });
      }
      const cut = last ? pending.length : cutAfter(pending, format!, uncut);
      if (cut > 0 || last) {
        const piece = pending.slice(0, cut);
        pending = pending.slice(cut);
        reader.feed(piece, last);
        lineNumber += countLines(piece);
      } else if (pending.length > MAX_FORM_LENGTH) {
        throw tooLong(file, lineNumber, format === 'edn' ? 'no whitespace' : 'no line break');
      }
      uncut = pending.length;
      guard.check();
      if (last) return reader.finish();
    }
  } finally {
    if (path !== STDIN) closeSync(fd);
  }
}

/**
 * Where a piece may end: after its last newline (EDN: its last whitespace), or 0 for nowhere yet.
 * The first `uncut` characters hold no such place, so they are not searched again: a line of 256 MiB
 * read 8 MiB at a time is scanned once, not 32 times.
 */
function cutAfter(text: string, format: HistoryFormat, uncut: number): number {
  if (text.indexOf('\n', uncut) >= 0) return text.lastIndexOf('\n') + 1;
  if (format !== 'edn') return 0;
  for (let i = text.length - 1; i >= uncut; i--) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 44 || c === 9 || c === 13) return i + 1;
  }
  return 0;
}

function countLines(text: string): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/**
 * Fills `bytes` from `fd` (less only at the end of the input), so a pipe's 64 KiB reads make whole
 * pieces too: the scans of what is still pending then run once per piece, not once per 64 KiB, which
 * made a long line through a pipe quadratic.
 */
function readPiece(fd: number, bytes: Buffer, file: string): number {
  let filled = 0;
  while (filled < bytes.length) {
    const count = readSome(fd, bytes, filled, file);
    if (count === 0) break;
    filled += count;
  }
  return filled;
}

function readSome(fd: number, bytes: Buffer, offset: number, file: string): number {
  for (;;) {
    try {
      return readSync(fd, bytes, offset, bytes.length - offset, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A non-blocking standard input with nothing in it yet: wait a little, then try again.
      if (code === 'EAGAIN') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      else if (code === 'EOF') return 0;
      else throw cannotRead(file, error);
    }
  }
}

/**
 * Whether a non-blank line has ended in `text`. Linear in its length: a regex such as /\S[^\n]*\n/
 * would scan to the end from every non-blank character of a text without a newline (8 MiB of
 * /dev/zero's NULs: quadratic, a read that seemed to hang).
 */
function hasFirstLine(text: string): boolean {
  const start = text.search(/\S/);
  return start >= 0 && text.indexOf('\n', start) >= 0;
}

/** Where the first non-blank line ends (the whole text when it never does). */
function firstLineEnd(text: string): number {
  const line = /\S[^\n]*/.exec(text);
  return line ? line.index + line[0].length : text.length;
}

function refuseBinary(text: string, file: string | undefined): void {
  const nul = text.indexOf('\0');
  if (nul < 0) return;
  const before = text.slice(0, nul);
  const line = countLines(before) + 1;
  throw new InputError('a NUL byte: this is binary data, expected a text history (Jepsen EDN, Jepsen log lines or JSON Lines)', {
    file,
    line,
    column: nul - before.lastIndexOf('\n'),
  });
}

function tooLong(file: string, line: number, what: string): InputError {
  return new InputError(`${what} in ${MAX_FORM_LENGTH / 2 ** 20} MiB: expected a history of text lines, not endless or binary input`, {
    file,
    line,
  });
}

function cannotRead(file: string, error: unknown): InputError {
  return new InputError(`cannot read the history file: ${readFailureReason(error)}`, { file });
}
