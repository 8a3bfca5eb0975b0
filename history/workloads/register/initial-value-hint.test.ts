import { describe, expect, it } from 'vitest';
import { shorthand } from '../../anomalies/shorthand.test-kit.ts';
import { judgeHistory } from '../../judge.ts';
import { checkHistory } from '../../linearizability/check.ts';
import { initialValueHint } from './initial-value-hint.ts';

describe('initialValueHint', () => {
  const fromZero = shorthand('0 invoke read nil\n0 ok read 0\n1 invoke write 1\n1 ok write 1\n2 invoke read nil\n2 ok read 1');

  it('names the value the first reads saw, which nobody wrote, and leaves the verdict alone', () => {
    expect(initialValueHint(fromZero)).toMatchObject({ kind: 'initial-value', value: 0, ops: [0] });
    const judgement = judgeHistory(fromZero);
    expect(judgement.verdict).toBe('invalid');
    expect(judgement.explanation.hints).toHaveLength(1);
    expect(judgeHistory(fromZero, { initialValue: 0 })).toMatchObject({ verdict: 'valid', explanation: { hints: [] } });
  });

  it('gives none when the unwritten values differ, or the first read saw a written value', () => {
    expect(initialValueHint(shorthand('0 invoke read nil\n0 ok read 0\n1 invoke read nil\n1 ok read 7'))).toBeUndefined();
    expect(
      initialValueHint(shorthand('0 invoke write 1\n0 ok write 1\n1 invoke read nil\n1 ok read 1\n1 invoke read nil\n1 ok read 0')),
    ).toBeUndefined();
    expect(initialValueHint(shorthand('0 invoke read nil\n0 ok read nil'))).toBeUndefined();
  });

  it('holds across keys when every key starts the same', () => {
    const keyed = shorthand('0 invoke read nil key=a\n0 ok read 0 key=a\n1 invoke read nil key=b\n1 ok read 0 key=b');
    expect(initialValueHint(keyed)?.reason).toMatch(
      /^2 reads saw 0, which no operation wrote \(on 2 keys, the first read of each key among them\)/,
    );
  });
});

describe('models started at an initial value', () => {
  it('a cas-register and a multi-register start where they are told', () => {
    const cas = shorthand('0 invoke cas [5 6]\n0 ok cas [5 6]');
    expect(checkHistory(cas).verdict).toBe('invalid');
    expect(checkHistory(cas, { initialValue: 5 })).toMatchObject({ verdict: 'valid', initialValue: 5 });
    // Unpinned, a first read may see anything; started at 0, it must see 0.
    const txn = shorthand('0 invoke txn [[:r :x nil]]\n0 ok txn [[:r :x 3]]');
    expect(checkHistory(txn).verdict).toBe('valid');
    expect(checkHistory(txn, { initialValue: 0 }).verdict).toBe('invalid');
    expect(
      checkHistory(shorthand('0 invoke txn [[:r :x nil] [:w :y 1]]\n0 ok txn [[:r :x 0] [:w :y 1]]'), { initialValue: 0 }).verdict,
    ).toBe('valid');
  });

  it('a mutex has no initial value to take', () => {
    expect(() => checkHistory(shorthand('0 invoke acquire\n0 ok acquire'), { initialValue: 0 })).toThrow(
      'an initial value (0) applies to register, cas-register and multi-register models, not mutex',
    );
  });
});
