import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEDNString } from 'edn-data';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../input-error.test-kit.ts';
import { InputError } from '../input-error.ts';
import type { EdnForm } from './edn.ts';
import { EdnReader, parseEdn } from './edn.ts';

// The EDN parser against hand-written cases, against edn-data (a test oracle only) on generated EDN and
// on every fixture, and against garbage.

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

function ednFixtures(dir = FIXTURES): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ednFixtures(path);
    return entry.name.endsWith('.edn') ? [path] : [];
  });
}

/** Our syntax tree in edn-data's default shape: {key}, {sym}, {char}, {list}, {set}, {map}, {tag, val}. */
function asOracle(form: EdnForm): unknown {
  switch (form.kind) {
    case 'nil':
      return null;
    case 'boolean':
    case 'integer':
    case 'float':
    case 'string':
      return form.value;
    case 'char':
      return { char: form.value };
    case 'keyword':
      return { key: form.name };
    case 'symbol':
      return { sym: form.name };
    case 'vector':
      return form.items.map(asOracle);
    case 'list':
      return { list: form.items.map(asOracle) };
    case 'set':
      return { set: form.items.map(asOracle) };
    case 'map':
      return { map: form.keys.map((k, i) => [asOracle(k), asOracle(form.values[i])]) };
    case 'tagged':
      return { tag: form.tag, val: asOracle(form.value) };
  }
}

/** edn-data reads only the first top-level form, and #inst as a Date: read all forms, every tag as data. */
function oracle(text: string): unknown[] {
  return parseEDNString(`[${text}\n]`, { tagHandlers: { inst: (val) => ({ tag: 'inst', val }) } }) as unknown[];
}

/** Integers compared by value, whether number or bigint; `lossy` also rounds bigints as edn-data does without N. */
function numbersAsValues(value: unknown, lossy: boolean): unknown {
  if (typeof value === 'bigint') return lossy || Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (Array.isArray(value)) return value.map((v) => numbersAsValues(v, lossy));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, numbersAsValues(v, lossy)]));
  }
  return value;
}

describe('parseEdn: syntax', () => {
  const one = (text: string) => {
    const forms = parseEdn(text);
    expect(forms).toHaveLength(1);
    return asOracle(forms[0]);
  };

  it('reads scalars', () => {
    expect(one('nil')).toBe(null);
    expect(one('true')).toBe(true);
    expect(one('false')).toBe(false);
    expect(one('42')).toBe(42);
    expect(one('-7')).toBe(-7);
    expect(one('+7')).toBe(7);
    expect(one('0')).toBe(0);
    expect(one('1.5')).toBe(1.5);
    expect(one('-2.5e3')).toBe(-2500);
    expect(one('1E-2')).toBe(0.01);
    expect(one('3M')).toBe(3);
    expect(one('2.50M')).toBe(2.5);
    expect(one('"hi"')).toBe('hi');
    expect(one(':read')).toEqual({ key: 'read' });
    expect(one(':jepsen.nemesis/start')).toEqual({ key: 'jepsen.nemesis/start' });
    expect(one('foo/bar')).toEqual({ sym: 'foo/bar' });
    expect(one('-')).toEqual({ sym: '-' });
    expect(one('/')).toEqual({ sym: '/' });
    expect(one('.x')).toEqual({ sym: '.x' });
    expect(one('a.b-c*!?<>=')).toEqual({ sym: 'a.b-c*!?<>=' });
  });

  it('reads symbolic floats', () => {
    expect(one('##Inf')).toBe(Infinity);
    expect(one('##-Inf')).toBe(-Infinity);
    expect(one('##NaN')).toBeNaN();
  });

  it('keeps integers beyond 2^53 exact as bigint, and N-suffixed small ones as numbers', () => {
    expect(one('9007199254740991')).toBe(9007199254740991);
    expect(one('9007199254740993')).toBe(9007199254740993n);
    expect(one('-9007199254740993')).toBe(-9007199254740993n);
    expect(one('123456789012345678901234567890')).toBe(123456789012345678901234567890n);
    expect(one('5N')).toBe(5);
    expect(one('18446744073709551617N')).toBe(18446744073709551617n);
  });

  it('reads string escapes and raw newlines in strings', () => {
    expect(one(String.raw`"a\tb\nc\rd\\e\"f\bg\fh\u00e9"`)).toBe('a\tb\nc\rd\\e"f\bg\fhé');
    expect(one('"two\nlines"')).toBe('two\nlines');
    expect(one('"ünïcødé ☃ 𝄞"')).toBe('ünïcødé ☃ 𝄞');
  });

  it('reads characters', () => {
    expect(one('\\a')).toEqual({ char: 'a' });
    expect(one('\\newline')).toEqual({ char: '\n' });
    expect(one('\\space')).toEqual({ char: ' ' });
    expect(one('\\tab')).toEqual({ char: '\t' });
    expect(one('\\return')).toEqual({ char: '\r' });
    expect(one('\\formfeed')).toEqual({ char: '\f' });
    expect(one('\\backspace')).toEqual({ char: '\b' });
    expect(one('\\u00e9')).toEqual({ char: 'é' });
    expect(one('\\o101')).toEqual({ char: 'A' });
    expect(one('\\u')).toEqual({ char: 'u' });
    expect(one('[\\( \\) \\" \\;]')).toEqual([{ char: '(' }, { char: ')' }, { char: '"' }, { char: ';' }]);
    expect(one('\\𝄞')).toEqual({ char: '𝄞' });
  });

  it('reads collections, nested', () => {
    expect(one('[1 [2 (3 #{4})] {:a {:b [5]}}]')).toEqual([
      1,
      [2, { list: [3, { set: [4] }] }],
      { map: [[{ key: 'a' }, { map: [[{ key: 'b' }, [5]]] }]] },
    ]);
    expect(one('[]')).toEqual([]);
    expect(one('()')).toEqual({ list: [] });
    expect(one('{}')).toEqual({ map: [] });
    expect(one('#{}')).toEqual({ set: [] });
  });

  it('keeps map entries in order, with keys of any kind', () => {
    expect(one('{:b 1, "a" 2, [1 2] 3, nil 4}')).toEqual({
      map: [
        [{ key: 'b' }, 1],
        ['a', 2],
        [[1, 2], 3],
        [null, 4],
      ],
    });
  });

  it('reads tagged values, record literals included', () => {
    expect(one('#inst "2017-03-30T23:00:51.065-00:00"')).toEqual({ tag: 'inst', val: '2017-03-30T23:00:51.065-00:00' });
    expect(one('#uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6"')).toEqual({ tag: 'uuid', val: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6' });
    expect(one('#knossos.model.CASRegister{:value 3}')).toEqual({
      tag: 'knossos.model.CASRegister',
      val: { map: [[{ key: 'value' }, 3]] },
    });
    expect(one('#a #b 1')).toEqual({ tag: 'a', val: { tag: 'b', val: 1 } });
  });

  it('treats commas as whitespace and skips comments', () => {
    expect(one('[1,2,,3 ; a comment ] here\n 4]')).toEqual([1, 2, 3, 4]);
    expect(parseEdn('; only a comment')).toEqual([]);
    expect(parseEdn('   \n,,\t')).toEqual([]);
  });

  it('discards the form after #_, nested discards included', () => {
    expect(one('[1 #_ 2 3]')).toEqual([1, 3]);
    expect(one('[1 #_[2 {:a 3}] 4]')).toEqual([1, 4]);
    expect(one('[#_ #_ 1 2 3]')).toEqual([3]);
    expect(one('{:a #_ :b 1}')).toEqual({ map: [[{ key: 'a' }, 1]] });
    expect(parseEdn('#_ {:a 1}\n{:b 2}').map(asOracle)).toEqual([{ map: [[{ key: 'b' }, 2]] }]);
  });

  it('returns every top-level form', () => {
    expect(parseEdn('{:a 1}\n{:b\n 2}\n[3] 4').map(asOracle)).toEqual([{ map: [[{ key: 'a' }, 1]] }, { map: [[{ key: 'b' }, 2]] }, [3], 4]);
  });

  it('records where each form starts', () => {
    const [vector] = parseEdn('\n  [1\n   {:a "x"}]');
    expect(vector).toMatchObject({ kind: 'vector', line: 2, column: 3 });
    if (vector.kind !== 'vector') throw new Error('a vector');
    expect(vector.items[0]).toMatchObject({ line: 2, column: 4 });
    const map = vector.items[1];
    expect(map).toMatchObject({ kind: 'map', line: 3, column: 4 });
    if (map.kind !== 'map') throw new Error('a map');
    expect(map.keys[0]).toMatchObject({ line: 3, column: 5 });
    expect(map.values[0]).toMatchObject({ line: 3, column: 8 });
  });

  it('counts lines inside multi-line strings', () => {
    const [, after] = parseEdn('"a\nb\nc" :x');
    expect(after).toMatchObject({ line: 3, column: 4 });
  });

  it('skips a leading byte order mark', () => {
    expect(parseEdn('\uFEFF[1]').map(asOracle)).toEqual([[1]]);
    expect(parseEdn('\uFEFF:a')[0]).toMatchObject({ line: 1, column: 1 });
  });
});

describe('EdnReader', () => {
  it('steps through a top-level vector one element at a time', () => {
    const reader = new EdnReader('[{:a 1} #_ 9 {:b 2}] ; done');
    const opened = reader.enterSequence();
    expect(opened).toMatchObject({ kind: 'vector', line: 1, column: 1 });
    if (!opened) return;
    expect(asOracle(reader.nextElement(opened) as EdnForm)).toEqual({ map: [[{ key: 'a' }, 1]] });
    expect(asOracle(reader.nextElement(opened) as EdnForm)).toEqual({ map: [[{ key: 'b' }, 2]] });
    expect(reader.nextElement(opened)).toBeUndefined();
    expect(reader.atEnd()).toBe(true);
  });

  it('does not enter a form that is not a sequence', () => {
    const reader = new EdnReader('{:a 1}');
    expect(reader.enterSequence()).toBeUndefined();
    expect(reader.read()).toMatchObject({ kind: 'map' });
  });

  it('reports positions relative to an origin, for text cut from a longer line', () => {
    const error = errorOf(() => new EdnReader('[1 2', 'x.log', { line: 7, column: 30 }).read());
    expect(error.position).toEqual({ file: 'x.log', line: 7, column: 34 });
  });

  it('gives the unread rest', () => {
    const reader = new EdnReader(':read nil :timeout');
    reader.read();
    reader.read();
    expect(reader.rest()).toBe(' :timeout');
  });
});

describe('parseEdn: errors name file, line, column and what was expected', () => {
  const cases: readonly (readonly [string, number, number, string])[] = [
    ['[1 2', 1, 5, 'expected a closing ] for the vector opened at 1:1, found the end of input'],
    ['\n\n[{:a 1}\n', 4, 1, 'expected a closing ] for the vector opened at 3:1'],
    ['(1 2]', 1, 5, 'expected a closing ) for the list opened at 1:1, found "]"'],
    ['{:a 1]', 1, 6, 'expected a closing } for the map opened at 1:1, found "]"'],
    ['#{1 2', 1, 6, 'expected a closing } for the set opened at 1:1'],
    ['[1] ]', 1, 5, 'unexpected ]: nothing open here to close'],
    ['{:a 1 :b}', 1, 9, 'the map opened at 1:1 has a key with no value'],
    ['[1\n "abc', 2, 6, 'unterminated string'],
    ['"a\\qb"', 1, 3, 'unknown escape \\q in a string'],
    ['"a\\u12x4"', 1, 3, 'expected four hex digits after \\u'],
    ['"abc\\', 1, 5, 'unterminated string'],
    ['[1 007]', 1, 4, 'invalid number 007'],
    ['1.2.3', 1, 1, 'invalid number 1.2.3'],
    ['12abc', 1, 1, 'invalid number 12abc'],
    ['[\\abc]', 1, 2, 'unknown character \\abc'],
    ['\\', 1, 1, 'expected a character after \\'],
    ['\\ x', 1, 1, 'expected a character after \\'],
    [':', 1, 1, 'expected a keyword name after :'],
    ['::auto', 1, 1, 'invalid keyword ::auto'],
    ['#', 1, 1, 'unexpected "#": expected #{ (a set), #_ (a discard)'],
    ['.5', 1, 1, 'unexpected ".5": expected a form'],
    ['#"regex"', 1, 1, 'expected #{ (a set), #_ (a discard), ##Inf/##-Inf/##NaN or #tag'],
    ['##Infinity', 1, 1, 'unknown symbolic value ##Infinity'],
    ['[#_]', 1, 4, 'expected a form to discard after the #_ at 1:2, found "]"'],
    ['#_', 1, 3, 'expected a form to discard after the #_ at 1:1, found the end of input'],
    ['[#inst]', 1, 7, 'expected a form after the tag #inst at 1:2'],
    ["'quoted", 1, 1, 'unexpected "\'quoted": expected a form'],
    ['@deref', 1, 1, 'expected a form'],
    // NUL and other control bytes are damage, not symbol or keyword characters.
    ['[nil\u0000]', 1, 5, 'a control character (U+0000) in a symbol'],
    ['{:type :ok\u0007}', 1, 11, 'a control character (U+0007) in a keyword'],
    ['\u001b[31m', 1, 1, 'a control character (U+001B) in a symbol'],
    ['#in\u0000st "x"', 1, 4, 'a control character (U+0000) in a tag'],
  ];
  it.each(cases)('%j', (text, line, column, message) => {
    const error = errorOf(() => parseEdn(text, 'h.edn'));
    expect(error.position).toEqual({ file: 'h.edn', line, column });
    expect(error.message).toContain(message);
    expect(error.describe()).toBe(`h.edn:${line}:${column}: ${error.message}`);
  });

  it('limits nesting instead of overflowing the stack', () => {
    expect(errorOf(() => parseEdn('['.repeat(100_000))).message).toContain('nested more than');
    expect(errorOf(() => parseEdn('#_'.repeat(100_000))).message).toContain('nested more than');
    expect(errorOf(() => parseEdn('#a '.repeat(100_000))).message).toContain('nested more than');
    expect(parseEdn(`${'['.repeat(200)}${']'.repeat(200)}`)).toHaveLength(1);
  });
});

// Generated EDN: a tree in edn-data's shape, printed with random whitespace, commas, comments and
// discards. Our parser and edn-data must both read back the tree.

type Tree =
  | null
  | boolean
  | number
  | bigint
  | string
  | { char: string }
  | { key: string }
  | { sym: string }
  | Tree[]
  | { list: Tree[] }
  | { set: Tree[] }
  | { map: [Tree, Tree][] }
  | { tag: string; val: Tree };

interface Printed {
  readonly tree: Tree;
  readonly text: string;
}

const separator = fc.constantFrom(' ', ',', '\n', '\t', ' , ', ' ; a comment [ { "\n', ' #_ 42 ', ' #_[1 :x] ', '\r\n');
const name = fc.stringMatching(/^[a-z][a-z0-9*!?<>=-]{0,6}$/).filter((n) => !['nil', 'true', 'false'].includes(n));
const qualified = fc.tuple(fc.option(name, { nil: undefined }), name).map(([ns, n]) => (ns ? `${ns}/${n}` : n));

const CHARS: readonly (readonly [string, string])[] = [
  ['\\a', 'a'],
  ['\\Z', 'Z'],
  ['\\7', '7'],
  ['\\newline', '\n'],
  ['\\space', ' '],
  ['\\tab', '\t'],
  ['\\u00e9', 'é'],
];

const scalar: fc.Arbitrary<Printed> = fc.oneof(
  fc.constant({ tree: null, text: 'nil' }),
  fc.boolean().map((b) => ({ tree: b, text: String(b) })),
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }).map((n) => ({ tree: n, text: String(n) })),
  fc.maxSafeInteger().map((n) => ({ tree: n, text: String(n) })),
  fc
    .bigInt({ min: 2n ** 53n, max: 2n ** 80n })
    .chain((b) => fc.constantFrom(b, -b))
    .map((b) => ({ tree: b, text: `${b}N` })),
  fc
    .tuple(fc.integer({ min: -99999, max: 99999 }), fc.stringMatching(/^\d{1,6}$/), fc.constantFrom('', 'e3', 'E-2', 'M'))
    .map(([whole, fraction, suffix]) => {
      const text = `${whole}.${fraction}${suffix}`;
      return { tree: Number(text.replace('M', '')), text };
    }),
  fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => ({ tree: s, text: JSON.stringify(s) })),
  fc.string({ unit: 'binary', maxLength: 6 }).map((s) => ({ tree: s, text: JSON.stringify(s) })),
  fc.constantFrom(...CHARS).map(([text, char]) => ({ tree: { char }, text })),
  qualified.map((n) => ({ tree: { key: n }, text: `:${n}` })),
  qualified.map((n) => ({ tree: { sym: n }, text: n })),
);

function joined(items: readonly Printed[], separators: readonly string[]): string {
  return items.map((item, i) => (i === 0 ? item.text : `${separators[i % separators.length]}${item.text}`)).join('');
}

const { form: printedForm } = fc.letrec<{ form: Printed }>((tie) => {
  const items = fc.tuple(fc.array(tie('form'), { maxLength: 4 }), fc.array(separator, { minLength: 1, maxLength: 3 }), separator);
  return {
    form: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      items.map(([xs, seps, pad]) => ({ tree: xs.map((x) => x.tree), text: `[${pad}${joined(xs, seps)}]` })),
      items.map(([xs, seps]) => ({ tree: { list: xs.map((x) => x.tree) }, text: `(${joined(xs, seps)})` })),
      items.map(([xs, seps]) => ({ tree: { set: xs.map((x) => x.tree) }, text: `#{${joined(xs, seps)}}` })),
      fc
        .tuple(fc.array(fc.tuple(tie('form'), tie('form')), { maxLength: 3 }), fc.array(separator, { minLength: 1, maxLength: 3 }))
        .map(([entries, seps]) => ({
          tree: { map: entries.map(([k, v]) => [k.tree, v.tree] as [Tree, Tree]) },
          text: `{${joined(
            entries.map(([k, v]) => ({ tree: null, text: `${k.text}${seps[0]}${v.text}` })),
            seps,
          )}}`,
        })),
      fc
        .tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,8}$/), tie('form'), fc.constantFrom(' ', '\n', ''))
        .filter(([, value, space]) => space !== '' || /^[[({"]/.test(value.text))
        .map(([tag, value, space]) => ({ tree: { tag, val: value.tree }, text: `#${tag}${space}${value.text}` })),
    ),
  };
});

const printedDocument = fc
  .tuple(fc.array(printedForm, { maxLength: 4 }), fc.array(separator, { minLength: 1, maxLength: 3 }))
  .map(([forms, seps]) => ({
    trees: forms.map((f) => f.tree),
    text: joined(forms, seps),
  }));

describe('parseEdn against generated EDN and edn-data', () => {
  it('reads back every generated tree, as edn-data does', () => {
    fc.assert(
      fc.property(printedDocument, ({ trees, text }) => {
        const ours = numbersAsValues(parseEdn(text).map(asOracle), false);
        expect(ours).toEqual(numbersAsValues(trees, false));
        expect(ours).toEqual(numbersAsValues(oracle(text), false));
      }),
      { numRuns: 1500 },
    );
  });

  it('reads every fixture as edn-data does', () => {
    const files = ednFixtures();
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // edn-data rounds big integers written without N; compare those by rounded value.
      expect(numbersAsValues(parseEdn(text, file).map(asOracle), true), file).toEqual(numbersAsValues(oracle(text), true));
    }
  });
});

describe('parseEdn on garbage', () => {
  const ednish = fc.string({
    unit: fc.constantFrom(...'[](){}#_:;"\\ \n,.+-0123456789eENMabcnil/^\'`~@'.split('')),
    maxLength: 40,
  });
  it('throws nothing but InputError', () => {
    fc.assert(
      fc.property(fc.oneof(ednish, fc.string({ unit: 'binary', maxLength: 40 })), (text) => {
        try {
          parseEdn(text, 'g.edn');
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          const { line, column } = (error as InputError).position;
          expect(line).toBeGreaterThanOrEqual(1);
          expect(column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
