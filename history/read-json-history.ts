import type { SourcePosition } from './input-error.ts';
import { InputError } from './input-error.ts';
import { jsonToEvent, parseJson } from './jsonl.ts';
import type { ReaderOptions, SourcedEvents } from './sourced-events.ts';
import { splitKeyedEvents } from './keyed-events.ts';

// A history as one JSON array of event objects, as elle-cli reads and writes them (`history.json`):
// `[{"type": "invoke", "process": 0, "f": "txn", "value": [["r", 1, null]]}, ...]`, the objects spread
// over lines as they please. Each object is the same event a JSON Lines line is; the array is split at
// its top-level commas (strings and nesting followed) so each event keeps the line it starts on.

export function readJsonArrayEvents(text: string, options: ReaderOptions = {}): SourcedEvents {
  const { file } = options;
  const source: SourcedEvents = { events: [], lines: [], columns: [] };
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = 0;
  const at = (): SourcePosition => ({ file, line, column: pos - lineStart + 1 });
  const skipSpace = () => {
    for (; pos < text.length; pos++) {
      const c = text.charCodeAt(pos);
      if (c === 10) {
        line++;
        lineStart = pos + 1;
      } else if (c !== 32 && c !== 9 && c !== 13) return;
    }
  };
  skipSpace();
  if (text[pos] !== '[') throw new InputError('expected a JSON array of event objects, starting with [', at());
  const opened = at();
  pos++;
  skipSpace();
  if (text[pos] === ']') pos++;
  else {
    for (;;) {
      skipSpace();
      const start = at();
      const from = pos;
      const end = elementEnd(text, pos, opened);
      const element = text.slice(from, end.pos);
      source.events.push(jsonToEvent(parseJson(element, file, start.line ?? 1), file, start.line ?? 1));
      source.lines.push(start.line ?? 1);
      source.columns.push(start.column ?? 1);
      line += end.newlines;
      if (end.newlines > 0) lineStart = end.lastNewline + 1;
      pos = end.pos;
      skipSpace();
      if (text[pos] === ']') {
        pos++;
        break;
      }
      if (text[pos] !== ',') throw new InputError(`expected , or ] in the array opened at ${opened.line}:${opened.column}, found ${found(text, pos)}`, at());
      pos++;
    }
  }
  skipSpace();
  if (pos < text.length) throw new InputError(`expected the end of input after the history array opened at ${opened.line}:${opened.column}, found ${found(text, pos)}`, at());
  return options.keyed ? splitKeyedEvents(source, file) : source;
}

/** Where the array element starting at `from` ends: after its closing bracket, or at the first comma or ] outside strings and brackets. */
function elementEnd(text: string, from: number, opened: SourcePosition): { pos: number; newlines: number; lastNewline: number } {
  let depth = 0;
  let newlines = 0;
  let lastNewline = -1;
  for (let pos = from; pos < text.length; pos++) {
    const c = text.charCodeAt(pos);
    if (c === 34) {
      for (pos++; pos < text.length && text.charCodeAt(pos) !== 34; pos++) if (text.charCodeAt(pos) === 92) pos++;
      continue;
    }
    if (c === 10) {
      newlines++;
      lastNewline = pos;
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      if (depth === 0) return { pos, newlines, lastNewline };
      if (--depth === 0) return { pos: pos + 1, newlines, lastNewline };
    } else if (c === 44 && depth === 0) return { pos, newlines, lastNewline };
  }
  throw new InputError(`unterminated array: expected ] to close the history array opened at ${opened.line}:${opened.column}`, { file: opened.file, line: opened.line, column: opened.column });
}

function found(text: string, pos: number): string {
  return pos >= text.length ? 'the end of the file' : JSON.stringify(text.slice(pos, pos + 10));
}
