import { InputError } from '../input-error.ts';
import { MAX_NESTING } from '../value.ts';

// EDN (github.com/edn-format/edn), as Jepsen and Knossos write it, read into a syntax tree that keeps
// what the text said (keyword or string, list or vector) and where each form starts. Turning forms into
// history values is the history readers' job. Hand-written rather than a library: we need exact big
// integers, every top-level form of a file, positions in errors, and speed on histories of 1M events.

export interface EdnPosition {
  readonly line: number;
  readonly column: number;
}

export type EdnForm =
  | EdnNil
  | EdnBoolean
  | EdnInteger
  | EdnFloat
  | EdnString
  | EdnChar
  | EdnKeyword
  | EdnSymbol
  | EdnVector
  | EdnList
  | EdnSet
  | EdnMap
  | EdnTagged;

interface EdnNil extends EdnPosition {
  readonly kind: 'nil';
}
interface EdnBoolean extends EdnPosition {
  readonly kind: 'boolean';
  readonly value: boolean;
}
/** A number when it fits in ±(2^53 − 1), a bigint beyond (with or without the N suffix). */
export interface EdnInteger extends EdnPosition {
  readonly kind: 'integer';
  readonly value: number | bigint;
}
/** Floats, M-suffixed decimals and ##Inf, ##-Inf, ##NaN. */
export interface EdnFloat extends EdnPosition {
  readonly kind: 'float';
  readonly value: number;
}
export interface EdnString extends EdnPosition {
  readonly kind: 'string';
  readonly value: string;
}
export interface EdnChar extends EdnPosition {
  readonly kind: 'char';
  readonly value: string;
}
/** `:ns/name` has the name "ns/name": the colon is syntax, not part of the name. */
export interface EdnKeyword extends EdnPosition {
  readonly kind: 'keyword';
  readonly name: string;
}
interface EdnSymbol extends EdnPosition {
  readonly kind: 'symbol';
  readonly name: string;
}
interface EdnVector extends EdnPosition {
  readonly kind: 'vector';
  readonly items: readonly EdnForm[];
}
interface EdnList extends EdnPosition {
  readonly kind: 'list';
  readonly items: readonly EdnForm[];
}
interface EdnSet extends EdnPosition {
  readonly kind: 'set';
  readonly items: readonly EdnForm[];
}
/** Entries in source order: keys[i] maps to values[i]. */
export interface EdnMap extends EdnPosition {
  readonly kind: 'map';
  readonly keys: readonly EdnForm[];
  readonly values: readonly EdnForm[];
}
interface EdnTagged extends EdnPosition {
  readonly kind: 'tagged';
  readonly tag: string;
  readonly value: EdnForm;
}

type EdnSequenceKind = 'vector' | 'list';

/** A top-level vector or list the reader has stepped into, and where it opened. */
export interface EdnOpenSequence extends EdnPosition {
  readonly kind: EdnSequenceKind;
}

/**
 * Thrown, instead of an end-of-input error, by a reader told that more text follows: the form being
 * read goes on in the next piece, and is read again from its start once that piece is in.
 */
export class EdnIncomplete extends Error {
  constructor() {
    super('the EDN form goes on past this piece of the text');
    this.name = 'EdnIncomplete';
  }
}

export interface EdnReaderOptions {
  /** More text follows this one: running into its end means "read this form again with more". */
  readonly more?: boolean;
  /** How many sequences are already open around the text (a piece read inside the history vector). */
  readonly depth?: number;
  /** Skip a byte order mark at the start (the default); off for a piece cut from the middle of a file. */
  readonly byteOrderMark?: boolean;
}

/** Every top-level form of `text`, in order. Throws InputError naming file, line, column and what was expected. */
export function parseEdn(text: string, file?: string): EdnForm[] {
  const reader = new EdnReader(text, file);
  const forms: EdnForm[] = [];
  while (!reader.atEnd()) forms.push(reader.read());
  return forms;
}

// The limit turns hostile input into an InputError instead of a stack overflow.
const MAX_DEPTH = MAX_NESTING;

// biome-ignore lint/suspicious/noConstEnum: file-local and never exported, so the isolatedModules hazard the rule guards against cannot arise; tsc and esbuild inline it, and a plain enum parsed ~30% slower from dist/
const enum Char {
  tab = 9,
  newline = 10,
  formFeed = 12,
  carriageReturn = 13,
  space = 32,
  quote = 34,
  hash = 35,
  openParen = 40,
  closeParen = 41,
  plus = 43,
  comma = 44,
  minus = 45,
  zero = 48,
  nine = 57,
  colon = 58,
  semicolon = 59,
  openBracket = 91,
  backslash = 92,
  closeBracket = 93,
  underscore = 95,
  openBrace = 123,
  closeBrace = 125,
  byteOrderMark = 0xfeff,
}

/** 1: whitespace (commas included), 2: ends a token without being whitespace. */
const DELIMITER = new Uint8Array(128);
for (const c of [Char.tab, Char.newline, Char.formFeed, Char.carriageReturn, Char.space, Char.comma]) DELIMITER[c] = 1;
for (const c of '()[]{}";') DELIMITER[c.charCodeAt(0)] = 2;

const CLOSER_NAME: Record<number, string> = { [Char.closeBracket]: ']', [Char.closeParen]: ')', [Char.closeBrace]: '}' };

const NAMED_CHARS: Readonly<Record<string, string>> = {
  newline: '\n',
  return: '\r',
  space: ' ',
  tab: '\t',
  formfeed: '\f',
  backspace: '\b',
};

const STRING_ESCAPES: Readonly<Record<string, string>> = {
  t: '\t',
  r: '\r',
  n: '\n',
  '\\': '\\',
  '"': '"',
  b: '\b',
  f: '\f',
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters in untrusted input is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const INTEGER = /^[+-]?(?:0|[1-9]\d*)N?$/;
const FLOAT = /^[+-]?(?:0|[1-9]\d*)(?:\.\d*)?(?:[eE][+-]?\d+)?M?$/;

/**
 * A cursor over EDN text. Besides whole forms it can step into a top-level vector or list one element at
 * a time, so a history of a million operations never has to exist as one syntax tree.
 */
export class EdnReader {
  private readonly text: string;
  private readonly file: string | undefined;
  private pos = 0;
  private line: number;
  /** Offset of the current line's first character (negative when the text starts mid-line). */
  private lineStart: number;
  private depth: number;
  private readonly more: boolean;

  /** `origin` is where `text` starts in its file, for text cut out of a longer line or a longer file. */
  constructor(text: string, file?: string, origin: EdnPosition = { line: 1, column: 1 }, options: EdnReaderOptions = {}) {
    this.text = text;
    this.file = file;
    this.line = origin.line;
    this.lineStart = 1 - origin.column;
    this.depth = options.depth ?? 0;
    this.more = options.more === true;
    if (options.byteOrderMark !== false && text.charCodeAt(0) === Char.byteOrderMark) {
      this.pos = 1;
      this.lineStart++;
    }
  }

  /** Skips whitespace, comments and #_ discards; true when nothing but those is left. */
  atEnd(): boolean {
    this.skipIgnorable();
    return this.pos >= this.text.length;
  }

  /** Where the next unread character is. */
  position(): EdnPosition {
    return { line: this.line, column: this.pos - this.lineStart + 1 };
  }

  /** The offset of the next unread character in the text. */
  offset(): number {
    return this.pos;
  }

  /** The text not read yet. */
  rest(): string {
    return this.text.slice(this.pos);
  }

  /** The next form. */
  read(): EdnForm {
    this.skipIgnorable();
    if (this.pos >= this.text.length) throw this.endOfInput('expected a form, found the end of input');
    return this.readForm();
  }

  /** If the next form is a vector or list, steps inside it and says which and where; otherwise reads nothing. */
  enterSequence(): EdnOpenSequence | undefined {
    this.skipIgnorable();
    const c = this.text.charCodeAt(this.pos);
    if (c !== Char.openBracket && c !== Char.openParen) return undefined;
    const at = this.position();
    this.pos++;
    this.depth++;
    return { kind: c === Char.openBracket ? 'vector' : 'list', ...at };
  }

  /** The next element of the sequence entered, or undefined after reading its closing bracket. */
  nextElement(opened: EdnOpenSequence): EdnForm | undefined {
    const closer = opened.kind === 'vector' ? Char.closeBracket : Char.closeParen;
    if (this.atCloser(closer, opened.kind, opened.line, opened.column)) {
      this.depth--;
      return undefined;
    }
    return this.readForm();
  }

  private readForm(): EdnForm {
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case Char.openBracket:
        return this.readSequence('vector', Char.closeBracket, 1);
      case Char.openParen:
        return this.readSequence('list', Char.closeParen, 1);
      case Char.openBrace:
        return this.readMap();
      case Char.quote:
        return this.readString();
      case Char.colon:
        return this.readKeyword();
      case Char.backslash:
        return this.readChar();
      case Char.hash:
        return this.readDispatch();
      case Char.closeBracket:
      case Char.closeParen:
      case Char.closeBrace:
        throw this.error(`unexpected ${CLOSER_NAME[c]}: nothing open here to close`);
      default:
        if ((c >= Char.zero && c <= Char.nine) || ((c === Char.plus || c === Char.minus) && isDigit(this.text.charCodeAt(this.pos + 1)))) {
          return this.readNumber();
        }
        return this.readSymbol();
    }
  }

  private skipIgnorable(): void {
    const text = this.text;
    const length = text.length;
    for (;;) {
      while (this.pos < length) {
        const c = text.charCodeAt(this.pos);
        if (c === Char.newline) {
          this.pos++;
          this.line++;
          this.lineStart = this.pos;
        } else if (c === Char.space || c === Char.comma || c === Char.tab || c === Char.carriageReturn || c === Char.formFeed) {
          this.pos++;
        } else if (c === Char.semicolon) {
          const end = text.indexOf('\n', this.pos);
          if (end < 0 && this.more) throw new EdnIncomplete();
          this.pos = end < 0 ? length : end;
        } else {
          break;
        }
      }
      if (text.charCodeAt(this.pos) !== Char.hash || text.charCodeAt(this.pos + 1) !== Char.underscore) return;
      this.discard();
    }
  }

  private discard(): void {
    const at = this.position();
    this.pos += 2;
    this.enter();
    this.skipIgnorable();
    const c = this.text.charCodeAt(this.pos);
    if (this.pos >= this.text.length || c in CLOSER_NAME) {
      throw this.endOfInput(`expected a form to discard after the #_ at ${at.line}:${at.column}, found ${this.describeNext()}`);
    }
    this.readForm();
    this.depth--;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw this.error(`forms nested more than ${MAX_DEPTH} deep`);
  }

  /**
   * After skipping what is ignorable: true (and consumed) at the expected closer; an error at the end of
   * input or at a closer of another kind.
   */
  private atCloser(closer: number, kind: string, openedLine: number, openedColumn: number): boolean {
    this.skipIgnorable();
    const c = this.text.charCodeAt(this.pos);
    if (c === closer) {
      this.pos++;
      return true;
    }
    if (this.pos >= this.text.length || c in CLOSER_NAME) {
      throw this.endOfInput(
        `expected a closing ${CLOSER_NAME[closer]} for the ${kind} opened at ${openedLine}:${openedColumn}, found ${this.describeNext()}`,
      );
    }
    return false;
  }

  private readSequence(kind: 'vector' | 'list' | 'set', closer: number, openerLength: number): EdnForm {
    const line = this.line;
    const column = this.pos - this.lineStart + 1;
    this.pos += openerLength;
    this.enter();
    const items: EdnForm[] = [];
    while (!this.atCloser(closer, kind, line, column)) items.push(this.readForm());
    this.depth--;
    return { kind, line, column, items };
  }

  private readMap(): EdnMap {
    const line = this.line;
    const column = this.pos - this.lineStart + 1;
    this.pos++;
    this.enter();
    const keys: EdnForm[] = [];
    const values: EdnForm[] = [];
    for (;;) {
      if (this.atCloser(Char.closeBrace, 'map', line, column)) break;
      const key = this.readForm();
      if (this.atCloser(Char.closeBrace, 'map', line, column)) {
        this.pos--;
        throw this.error(`the map opened at ${line}:${column} has a key with no value: expected a value before }`);
      }
      keys.push(key);
      values.push(this.readForm());
    }
    this.depth--;
    return { kind: 'map', line, column, keys, values };
  }

  private readString(): EdnString {
    const text = this.text;
    const line = this.line;
    const column = this.pos - this.lineStart + 1;
    let start = ++this.pos;
    let value = '';
    for (;;) {
      if (this.pos >= text.length) {
        if (this.more) throw new EdnIncomplete();
        throw new InputError(`unterminated string: expected a closing " for the string opened at ${line}:${column}`, {
          file: this.file,
          ...this.position(),
        });
      }
      const c = text.charCodeAt(this.pos);
      if (c === Char.quote) break;
      if (c === Char.newline) {
        this.line++;
        this.lineStart = this.pos + 1;
      } else if (c === Char.backslash) {
        value += text.slice(start, this.pos) + this.readEscape();
        start = this.pos;
        continue;
      }
      this.pos++;
    }
    value += text.slice(start, this.pos);
    this.pos++;
    return { kind: 'string', line, column, value };
  }

  /** At a backslash inside a string: consumes the escape and returns what it stands for. */
  private readEscape(): string {
    const next = this.text[this.pos + 1];
    if (next === 'u') {
      const hex = this.text.slice(this.pos + 2, this.pos + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error('expected four hex digits after \\u in a string');
      this.pos += 6;
      return String.fromCharCode(parseInt(hex, 16));
    }
    const escaped = next === undefined ? undefined : STRING_ESCAPES[next];
    if (escaped === undefined) {
      throw this.error(
        next === undefined
          ? 'unterminated string: the input ends after a backslash'
          : `unknown escape \\${next} in a string: expected one of \\t \\r \\n \\\\ \\" \\b \\f \\uXXXX`,
      );
    }
    this.pos += 2;
    return escaped;
  }

  /** Where the token starting at `from` ends; `describing` an error, a token cut by the piece's end is fine. */
  private tokenEnd(from: number, describing = false): number {
    const text = this.text;
    let end = from;
    for (;;) {
      const c = text.charCodeAt(end);
      if (c < 128 && DELIMITER[c] !== 0) return end;
      if (Number.isNaN(c)) {
        // A token that runs into the end of a piece may go on in the next one.
        if (this.more && !describing) throw new EdnIncomplete();
        return end;
      }
      end++;
    }
  }

  private readKeyword(): EdnKeyword {
    const line = this.line;
    const column = this.pos - this.lineStart + 1;
    const end = this.tokenEnd(this.pos + 1);
    const name = this.text.slice(this.pos + 1, end);
    this.refuseControl(name, this.pos + 1, 'keyword');
    if (name === '' || name.charCodeAt(0) === Char.colon || name.charCodeAt(0) === Char.hash) {
      throw this.error(name === '' ? 'expected a keyword name after :' : `invalid keyword :${name}`);
    }
    this.pos = end;
    return { kind: 'keyword', line, column, name };
  }

  private readSymbol(): EdnForm {
    const line = this.line;
    const column = this.pos - this.lineStart + 1;
    const end = this.tokenEnd(this.pos);
    const token = this.text.slice(this.pos, end);
    this.refuseControl(token, this.pos, 'symbol');
    if (token === 'nil') {
      this.pos = end;
      return { kind: 'nil', line, column };
    }
    if (token === 'true' || token === 'false') {
      this.pos = end;
      return { kind: 'boolean', line, column, value: token === 'true' };
    }
    if (!isSymbol(token)) throw this.error(`unexpected ${this.describeNext()}: expected a form`);
    this.pos = end;
    return { kind: 'symbol', line, column, name: token };
  }

  private readNumber(): EdnInteger | EdnFloat {
    const text = this.text;
    const line = this.line;
    const column = this.pos - this.lineStart + 1;
    const end = this.tokenEnd(this.pos);
    // The common case, a short run of digits, without slicing or regular expressions.
    let value = 0;
    let i = this.pos;
    while (i < end && i - this.pos < 15) {
      const c = text.charCodeAt(i);
      if (c < Char.zero || c > Char.nine) break;
      value = value * 10 + (c - Char.zero);
      i++;
    }
    if (i === end && (end - this.pos === 1 || text.charCodeAt(this.pos) !== Char.zero)) {
      this.pos = end;
      return { kind: 'integer', line, column, value };
    }
    const token = text.slice(this.pos, end);
    if (INTEGER.test(token)) {
      this.pos = end;
      const big = BigInt(token.endsWith('N') ? token.slice(0, -1) : token);
      const small = Number(big);
      return { kind: 'integer', line, column, value: Number.isSafeInteger(small) ? small : big };
    }
    if (FLOAT.test(token)) {
      this.pos = end;
      return { kind: 'float', line, column, value: Number(token.endsWith('M') ? token.slice(0, -1) : token) };
    }
    throw this.error(`invalid number ${token}: expected an integer (no leading zeros) or a float`);
  }

  private readChar(): EdnChar {
    const line = this.line;
    const column = this.pos - this.lineStart + 1;
    const first = this.text.codePointAt(this.pos + 1);
    if (first === undefined || (first < 128 && DELIMITER[first] === 1 && first !== Char.comma)) {
      throw this.error('expected a character after \\');
    }
    const firstLength = first > 0xffff ? 2 : 1;
    // A delimiter right after the backslash is the character itself: \( \" \; \,
    const end = first < 128 && DELIMITER[first] !== 0 ? this.pos + 2 : Math.max(this.tokenEnd(this.pos + 1), this.pos + 1 + firstLength);
    const name = this.text.slice(this.pos + 1, end);
    let value: string | undefined;
    if (name.length === firstLength) value = name;
    else if (name in NAMED_CHARS) value = NAMED_CHARS[name];
    else if (/^u[0-9a-fA-F]{4}$/.test(name)) value = String.fromCharCode(parseInt(name.slice(1), 16));
    else if (/^o[0-3]?[0-7]{1,2}$/.test(name)) value = String.fromCharCode(parseInt(name.slice(1), 8));
    if (value === undefined) {
      throw this.error(
        `unknown character \\${name}: expected one character, \\newline, \\space, \\tab, \\return, \\formfeed, \\backspace or \\uXXXX`,
      );
    }
    this.pos = end;
    return { kind: 'char', line, column, value };
  }

  private readDispatch(): EdnForm {
    const text = this.text;
    const next = text.charCodeAt(this.pos + 1);
    if (next === Char.openBrace) return this.readSequence('set', Char.closeBrace, 2);
    if (next === Char.hash) return this.readSymbolicFloat();
    if (!isAlphabetic(text[this.pos + 1])) {
      throw this.error(`unexpected ${this.describeNext()}: expected #{ (a set), #_ (a discard), ##Inf/##-Inf/##NaN or #tag`);
    }
    const line = this.line;
    const column = this.pos - this.lineStart + 1;
    const end = this.tokenEnd(this.pos + 1);
    const tag = text.slice(this.pos + 1, end);
    this.refuseControl(tag, this.pos + 1, 'tag');
    this.pos = end;
    this.enter();
    this.skipIgnorable();
    const c = text.charCodeAt(this.pos);
    if (this.pos >= text.length || c in CLOSER_NAME) {
      throw this.endOfInput(`expected a form after the tag #${tag} at ${line}:${column}, found ${this.describeNext()}`);
    }
    const value = this.readForm();
    this.depth--;
    return { kind: 'tagged', line, column, tag, value };
  }

  private readSymbolicFloat(): EdnFloat {
    const line = this.line;
    const column = this.pos - this.lineStart + 1;
    const end = this.tokenEnd(this.pos + 2);
    const name = this.text.slice(this.pos + 2, end);
    const value = name === 'Inf' ? Infinity : name === '-Inf' ? -Infinity : name === 'NaN' ? NaN : undefined;
    if (value === undefined) throw this.error(`unknown symbolic value ##${name}: expected ##Inf, ##-Inf or ##NaN`);
    this.pos = end;
    return { kind: 'float', line, column, value };
  }

  /**
   * NUL and other control characters are not delimiters in EDN, but no history puts them in a name:
   * `nil<NUL>` is damage, not a symbol.
   */
  private refuseControl(token: string, from: number, what: string): void {
    const at = token.search(CONTROL);
    if (at < 0) return;
    const code = token.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
    this.pos = from + at;
    throw this.error(`a control character (U+${code}) in a ${what}: expected whitespace, a delimiter or a printable character`);
  }

  /** What is at the cursor, for error messages. */
  private describeNext(): string {
    if (this.pos >= this.text.length) return 'the end of input';
    const end = Math.max(this.tokenEnd(this.pos, true), this.pos + 1);
    const token = this.text.slice(this.pos, Math.min(end, this.pos + 20));
    return JSON.stringify(token);
  }

  /** At the end of the text (or at a closer that ends what was open): an error, or more to come. */
  private endOfInput(message: string): Error {
    return this.more && this.pos >= this.text.length ? new EdnIncomplete() : this.error(message);
  }

  private error(message: string): InputError {
    return new InputError(message, { file: this.file, ...this.position() });
  }
}

function isDigit(c: number): boolean {
  return c >= Char.zero && c <= Char.nine;
}

function isAlphabetic(c: string | undefined): boolean {
  return c !== undefined && /\p{L}/u.test(c);
}

/** EDN symbols: no leading digit (or sign/dot then digit), none of the reader's own prefix characters. */
function isSymbol(token: string): boolean {
  if (token === '') return false;
  const first = token.charCodeAt(0);
  if (isDigit(first) || "#:'`~@^\\".includes(token[0])) return false;
  if ((token[0] === '+' || token[0] === '-' || token[0] === '.') && isDigit(token.charCodeAt(1))) return false;
  return !/[\\"'`~@^]/.test(token.slice(1));
}
