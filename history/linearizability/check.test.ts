import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shorthand } from '../anomalies/shorthand.test-kit.ts';
import type { Event } from '../event.ts';
import { readHistory } from '../formats/read-history.ts';
import { InputError, MalformedHistoryError } from '../input-error.ts';
import { buildHistory } from '../operation.ts';
import type { Value } from '../value.ts';
import type { CheckProgress } from './check.ts';
import { checkHistory, worstVerdict } from './check.ts';
import { chooseModel, modelNames } from './model-choice.ts';

describe('choosing the model', () => {
  it('infers it from the operations when none is named', () => {
    expect(chooseModel(shorthand('0 invoke read nil\n0 ok read nil').operations).name).toBe('register');
    expect(chooseModel(shorthand('0 invoke write 1\n1 invoke cas [1 2]').operations).name).toBe('cas-register');
    expect(chooseModel(shorthand('0 invoke txn [[:read :x nil]]').operations).name).toBe('multi-register');
    expect(chooseModel(shorthand('0 invoke release').operations).name).toBe('mutex');
    expect(chooseModel(shorthand('0 invoke write 1 key=3').operations).name).toBe('keyed register');
  });

  it('takes a named model, made keyed when the operations carry keys', () => {
    const keyed = shorthand('0 invoke write 1 key=a');
    expect(chooseModel(keyed.operations, 'cas-register')).toMatchObject({ name: 'keyed cas-register', keyed: true });
    expect(chooseModel([], 'keyed mutex')).toMatchObject({ name: 'keyed mutex', keyed: true });
    expect(chooseModel([], 'keyed-register').name).toBe('keyed register');
  });

  it('refuses an unknown model name, listing the known ones', () => {
    expect(() => chooseModel([], 'queue')).toThrow(InputError);
    expect(() => chooseModel([], 'queue')).toThrow(`unknown model "queue"; models: ${modelNames().join(', ')}`);
  });
});

describe('checkHistory', () => {
  it('checks a keyed history key by key: one key broken breaks the whole', () => {
    const history = shorthand(`
      0 invoke write 1 key=a
      1 invoke write 1 key=b
      0 ok write 1 key=a
      1 ok write 1 key=b
      0 invoke read nil key=a
      0 ok read 1 key=a
      1 invoke read nil key=b
      1 ok read 2 key=b
    `);
    const result = checkHistory(history);
    expect(result.model).toBe('keyed register');
    expect(result.verdict).toBe('invalid');
    expect(result.partitions.map((p) => [p.key, p.verdict])).toEqual([
      ['a', 'valid'],
      ['b', 'invalid'],
    ]);
    expect(result.partitions[1].stuck).toEqual([3]);
    expect(result.steps).toBe(result.partitions[0].steps + result.partitions[1].steps);
  });

  it('counts the operations of each partition without the failed ones', () => {
    const history = shorthand(`
      0 invoke write 1
      0 fail write 1
      0 invoke write 2
      0 info write 2
      1 invoke read nil
      1 ok read 2
    `);
    expect(checkHistory(history).partitions[0]).toMatchObject({ verdict: 'valid', operations: 2, linearization: [1, 2] });
  });

  it('tells how far it is: as each key starts, and every few thousand steps', () => {
    const lines = ['0 invoke write 1 key=a', '0 ok write 1 key=a'];
    // Twelve concurrent writes on key b, then a read no order explains: thousands of steps to refute.
    for (let p = 1; p <= 12; p++) lines.push(`${p} invoke write ${p} key=b`);
    for (let p = 1; p <= 12; p++) lines.push(`${p} ok write ${p} key=b`);
    lines.push('13 invoke read nil key=b', '13 ok read 99 key=b');
    const seen: CheckProgress[] = [];
    const result = checkHistory(shorthand(lines.join('\n')), { onProgress: (progress) => seen.push(progress) });
    expect(seen.slice(0, 2)).toEqual([
      { partitions: 2, done: 0, steps: 0 },
      { partitions: 2, done: 1, steps: result.partitions[0].steps },
    ]);
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.map((p) => p.steps)).toEqual([...seen.map((p) => p.steps)].sort((a, b) => a - b));
    expect(seen[seen.length - 1].steps).toBeLessThanOrEqual(result.steps);
  });

  it('says valid for a history with no client operations', () => {
    expect(checkHistory(shorthand('nemesis info start'))).toMatchObject({ verdict: 'valid', model: 'register', steps: 0 });
  });

  it('names an operation the model does not take, and the event it starts at', () => {
    const history = shorthand(`
      0 invoke write 1
      0 ok write 1
      1 invoke cas [1 2]
      1 fail cas [1 2]
    `);
    const error = captured(() => checkHistory(history, { model: 'register' }));
    expect(error).toBeInstanceOf(MalformedHistoryError);
    expect((error as MalformedHistoryError).eventIndex).toBe(2);
    expect((error as Error).message).toBe('process 1 invokes cas, which the register model does not take (it takes read, write, get, put)');
  });

  it('names an operation whose value the model cannot read', () => {
    const error = captured(() => checkHistory(shorthand('0 invoke write 1\n0 ok write 1\n0 invoke cas 2\n0 ok cas 2')));
    expect((error as Error).message).toBe('process 0: cas expects [old new], got 2');
    expect((error as MalformedHistoryError).eventIndex).toBe(2);
  });

  it('names an operation without a key in a keyed history', () => {
    const error = captured(() => checkHistory(shorthand('0 invoke write 1 key=a\n0 ok write 1 key=a\n1 invoke write 2')));
    expect((error as Error).message).toMatch(/a keyed model needs a key on every operation; process 1's write has none/);
    expect((error as MalformedHistoryError).eventIndex).toBe(2);
  });
});

describe('checkHistory on garbage', () => {
  const value: fc.Arbitrary<Value> = fc.letrec<{ value: Value }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom<Value>(null, true, 0, 1, 2, 'x', 1n << 70n, -0, 0.5),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom('a', 'b'), tie('value'), { maxKeys: 2 }),
    ),
  })).value;
  // Well-paired operations (so the checker, not the pairing, meets the garbage), two at a time overlapping.
  const op = fc.record({
    f: fc.constantFrom('read', 'write', 'cas', 'txn', 'acquire', 'release', 'append'),
    input: value,
    output: value,
    result: fc.constantFrom<Event['type'] | undefined>('ok', 'fail', 'info', undefined),
    key: fc.option(fc.constantFrom<string | number>('a', 1), { nil: undefined }),
  });
  type GarbageOp = typeof op extends fc.Arbitrary<infer T> ? T : never;
  const toEvents = (ops: GarbageOp[]): Event[] =>
    ops.flatMap(({ f, input, output, result, key }, i) => {
      const common = { process: i % 2, f, ...(key !== undefined && { key }) };
      const invoke: Event = { type: 'invoke', ...common, value: input };
      return result === undefined ? [invoke] : [invoke, { type: result, ...common, value: output }];
    });

  it('returns a verdict or names the bad input, never anything else', () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.array(op, { maxLength: 10 }), fc.option(fc.constantFrom(...modelNames()), { nil: undefined }), (ops, model) => {
        // Pending ops only at the end: a process with one pending cannot invoke again.
        const events = toEvents(ops.map((o, i) => (i < ops.length - 2 && o.result === undefined ? { ...o, result: 'info' } : o)));
        try {
          const result = checkHistory(buildHistory(events), { model, budget: { steps: 10_000 } });
          expect(['valid', 'invalid', 'unknown']).toContain(result.verdict);
          checked++;
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedHistoryError);
          expect((error as MalformedHistoryError).eventIndex).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 2_000 },
    );
    expect(checked).toBeGreaterThan(200);
  });
});

describe('worstVerdict', () => {
  it('lets invalid outweigh unknown, and unknown outweigh valid', () => {
    expect(worstVerdict(['valid', 'unknown', 'invalid'])).toBe('invalid');
    expect(worstVerdict(['valid', 'unknown'])).toBe('unknown');
    expect(worstVerdict(['valid'])).toBe('valid');
    expect(worstVerdict([])).toBe('valid');
  });
});

function captured(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('a failed cas', () => {
  // write 1; cas [1 2] fails; read 1: Knossos drops the cas, Porcupine's etcd model reads it as "the value was not 1".
  const text = [
    '{:process 0, :type :invoke, :f :write, :value 1}',
    '{:process 0, :type :ok, :f :write, :value 1}',
    '{:process 1, :type :invoke, :f :cas, :value [1 2]}',
    '{:process 1, :type :fail, :f :cas, :value [1 2]}',
    '{:process 2, :type :invoke, :f :read, :value nil}',
    '{:process 2, :type :ok, :f :read, :value 1}',
  ].join('\n');

  it('is ignored by default, as Knossos reads it', () => {
    const result = checkHistory(readHistory(text));
    expect(result.verdict).toBe('valid');
    expect(result.failedCas).toBeUndefined();
  });

  it("with failedCas 'observe' says the value differed from the one expected", () => {
    const result = checkHistory(readHistory(text), { failedCas: 'observe' });
    expect(result.verdict).toBe('invalid');
    expect(result.failedCas).toBe('observe');
    expect(result.partitions[0].stuck).toEqual([1]);
    // Had a concurrent write made the value differ, it would be linearizable.
    const concurrent = text.replace(
      '{:process 1, :type :invoke, :f :cas, :value [1 2]}',
      '{:process 1, :type :invoke, :f :cas, :value [1 2]}\n{:process 3, :type :invoke, :f :write, :value 5}\n{:process 3, :type :ok, :f :write, :value 5}\n{:process 3, :type :invoke, :f :write, :value 1}\n{:process 3, :type :ok, :f :write, :value 1}',
    );
    expect(checkHistory(readHistory(concurrent), { failedCas: 'observe' }).verdict).toBe('valid');
  });
});
