import type { SourcePosition } from '../input-error.ts';
import { InputError } from '../input-error.ts';
import { jsonToEvent, parseJson } from './jsonl.ts';
import { splitKeyedEvents } from './keyed-events.ts';
import { MAX_FORM_LENGTH } from './read-edn-history.ts';
import type { ChunkReader, ReaderOptions, SourcedEvents } from './sourced-events.ts';
import { readWhole } from './sourced-events.ts';

// A history as one JSON array of event objects, as elle-cli reads and writes them (`history.json`):
// `[{"type": "invoke", "process": 0, "f": "txn", "value": [["r", 1, null]]}, ...]`, the objects spread
// over lines as they please. Each object is the same event a JSON Lines line is. The array is read
// piece by piece and split at its top-level commas (strings and nesting followed, across pieces), so
// memory holds the events and the one element being read, never the whole text, and each event keeps
// the line it starts on.

export function readJsonArrayEvents(text: string, options: ReaderOptions = {}): SourcedEvents {
  return readWhole(jsonArrayReader(options), text);
}

/** Where the reader is: before the [, after it, inside an element, after one, after a comma, after the ]. */
type Phase = 'open' | 'first' | 'element' | 'next' | 'comma' | 'end';

export function jsonArrayReader(options: ReaderOptions = {}): ChunkReader {
  const { file } = options;
  const source: SourcedEvents = { events: [], lines: [], columns: [] };
  let text = '';
  let pos = 0;
  let line = 1;
  /** Where the current line starts in `text` (negative once the start was dropped). */
  let lineStart = 0;
  let phase: Phase = 'open';
  let opened: SourcePosition = { file, line: 1, column: 1 };
  // The element being read: where it starts, and the scan's state (kept across pieces).
  let from = 0;
  let fromLine = 1;
  let fromColumn = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  const at = (): SourcePosition => ({ file, line, column: pos - lineStart + 1 });
  const where = () => `the array opened at ${opened.line}:${opened.column}`;
  const found = () => (pos >= text.length ? 'the end of the file' : JSON.stringify(text.slice(pos, pos + 10)));

  const startElement = () => {
    phase = 'element';
    from = pos;
    fromLine = line;
    fromColumn = pos - lineStart + 1;
    depth = 0;
  };
  const endElement = (end: number) => {
    const event = jsonToEvent(parseJson(text.slice(from, end), file, fromLine), file, fromLine);
    source.events.push(event);
    source.lines.push(fromLine);
    source.columns.push(fromColumn);
    pos = end;
    phase = 'next';
  };

  /** Scans the element on to its end (after its closing bracket, or at a comma or ] outside strings and brackets); false: the piece ended first. */
  const scanElement = (): boolean => {
    for (; pos < text.length; pos++) {
      const c = text.charCodeAt(pos);
      if (c === 10) {
        line++;
        lineStart = pos + 1;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92) escaped = true;
        else if (c === 34) inString = false;
      } else if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        if (depth === 0) {
          endElement(pos);
          return true;
        }
        if (--depth === 0) {
          endElement(pos + 1);
          return true;
        }
      } else if (c === 44 && depth === 0) {
        endElement(pos);
        return true;
      }
    }
    return false;
  };

  const scan = () => {
    while (pos < text.length) {
      if (phase === 'element') {
        if (!scanElement()) return;
        continue;
      }
      const c = text.charCodeAt(pos);
      if (c === 10) {
        pos++;
        line++;
        lineStart = pos;
        continue;
      }
      if (c === 32 || c === 9 || c === 13) {
        pos++;
        continue;
      }
      switch (phase) {
        case 'open':
          if (c !== 91) throw new InputError('expected a JSON array of event objects, starting with [', at());
          opened = at();
          pos++;
          phase = 'first';
          break;
        case 'first':
          if (c === 93) {
            pos++;
            phase = 'end';
          } else startElement();
          break;
        case 'next':
          if (c === 93) {
            pos++;
            phase = 'end';
          } else if (c === 44) {
            pos++;
            phase = 'comma';
          } else throw new InputError(`expected , or ] in ${where()}, found ${found()}`, at());
          break;
        case 'comma':
          startElement();
          break;
        case 'end':
          throw new InputError(`expected the end of input after the history ${where().slice(4)}, found ${found()}`, at());
      }
    }
  };

  /** Drops what is read: only the element being read (if any) is kept. */
  const drop = () => {
    const keep = phase === 'element' ? from : pos;
    if (phase === 'element' && text.length - from > MAX_FORM_LENGTH) {
      throw new InputError(`an array element longer than ${MAX_FORM_LENGTH / 2 ** 20} MiB: expected event objects, not endless input`, {
        file,
        line: fromLine,
        column: fromColumn,
      });
    }
    text = text.slice(keep);
    pos -= keep;
    from -= keep;
    lineStart -= keep;
  };

  return {
    feed(piece, last) {
      if (text.length === 0 && line === 1 && phase === 'open' && piece.charCodeAt(0) === 0xfeff) {
        text = piece;
        pos = 1;
      } else text += piece;
      scan();
      if (last) {
        if (phase === 'open') throw new InputError('expected a JSON array of event objects, starting with [', at());
        if (phase === 'next') throw new InputError(`expected , or ] in ${where()}, found ${found()}`, at());
        if (phase !== 'end') throw new InputError(`unterminated array: expected ] to close the history ${where().slice(4)}`, opened);
      }
      drop();
    },
    finish: () => (options.keyed ? splitKeyedEvents(source, file) : source),
  };
}
