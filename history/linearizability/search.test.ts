import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shorthand } from '../anomalies/shorthand.test-kit.ts';
import { readHistory } from '../formats/read-history.ts';
import type { History } from '../operation.ts';
import type { CheckResult } from '../verdict.ts';
import { checkHistory } from './check.ts';
import { chooseModel } from './model-choice.ts';
import { witnessProblem } from './witness.test-kit.ts';

// Hand-written histories with known answers, each showing one thing the search must get right.

function check(history: History, model = 'cas-register'): CheckResult {
  const result = checkHistory(history, { model });
  for (const partition of result.partitions) {
    if (partition.linearization) {
      expect(witnessProblem(chooseModel(history.operations, model), history.operations, partition.linearization)).toBeUndefined();
    }
  }
  return result;
}

describe('the linearizability search', () => {
  it('orders concurrent writes either way, as the reads require', () => {
    const history = shorthand(`
      0 invoke write 1
      1 invoke write 2
      0 ok write 1
      1 ok write 2
      2 invoke read nil
      2 ok read 1
    `);
    const result = check(history);
    expect(result.verdict).toBe('valid');
    expect(result.partitions[0].linearization).toEqual([1, 0, 2]);
  });

  it('refuses a read of a value overwritten before the read began', () => {
    const history = shorthand(`
      0 invoke write 1
      0 ok write 1
      0 invoke write 2
      0 ok write 2
      1 invoke read nil
      1 ok read 1
    `);
    const result = check(history);
    expect(result.verdict).toBe('invalid');
    expect(result.partitions[0]).toMatchObject({ longestPrefix: [0, 1], stateAfterPrefix: '2', stuck: [2] });
  });

  it('refuses a read of a value written only after the read completed', () => {
    const history = shorthand(`
      1 invoke read nil
      1 ok read 1
      0 invoke write 1
      0 ok write 1
    `);
    expect(check(history).partitions[0]).toMatchObject({ verdict: 'invalid', longestPrefix: [], stateAfterPrefix: 'nil', stuck: [0] });
  });

  it('lets an indeterminate write take effect long after its process crashed', () => {
    const history = shorthand(`
      0 invoke write 1
      0 info write 1
      1 invoke write 2
      1 ok write 2
      1 invoke read nil
      1 ok read 2
      2 invoke read nil
      2 ok read 1
    `);
    const result = check(history);
    expect(result.verdict).toBe('valid');
    expect(result.partitions[0].linearization).toEqual([1, 2, 0, 3]);
  });

  it('lets an indeterminate write never take effect, leaving it out of the linearization', () => {
    const history = shorthand(`
      0 invoke write 1
      0 info write 1
      1 invoke read nil
      1 ok read nil
      1 invoke write 2
      1 ok write 2
      1 invoke read nil
      1 ok read 2
    `);
    const result = check(history);
    expect(result.verdict).toBe('valid');
    expect(result.partitions[0].linearization).toEqual([1, 2, 3]);
  });

  it('treats an invocation that never completes as indeterminate', () => {
    const history = shorthand(`
      0 invoke write 1
      1 invoke read nil
      1 ok read 1
    `);
    expect(history.operations[0].result).toBe('info');
    expect(check(history).verdict).toBe('valid');
  });

  it('still refuses an indeterminate write seen before it was invoked', () => {
    const history = shorthand(`
      1 invoke read nil
      1 ok read 1
      0 invoke write 1
      0 info write 1
    `);
    expect(check(history).verdict).toBe('invalid');
  });

  it('never lets a failed write take effect', () => {
    const history = shorthand(`
      0 invoke write 1
      0 fail write 1
      1 invoke read nil
      1 ok read 1
    `);
    const result = check(history);
    expect(result.verdict).toBe('invalid');
    expect(result.partitions[0].operations).toBe(1);
    expect(result.partitions[0].stuck).toEqual([1]);
  });

  it('ignores nemesis markers between operations', () => {
    const history = shorthand(`
      nemesis info start-partition
      0 invoke write 1
      nemesis info stop-partition
      0 ok write 1
      1 invoke read nil
      1 ok read 1
    `);
    expect(history.markers).toHaveLength(2);
    expect(check(history).verdict).toBe('valid');
  });

  it('lets a cas succeed only from its expected value, an indeterminate one included', () => {
    const valid = shorthand(`
      0 invoke write 1
      0 ok write 1
      1 invoke cas [1 2]
      1 info cas [1 2]
      2 invoke cas [2 3]
      2 ok cas [2 3]
      2 invoke read nil
      2 ok read 3
    `);
    expect(check(valid).verdict).toBe('valid');
    const invalid = shorthand(`
      0 invoke write 1
      0 ok write 1
      1 invoke cas [0 2]
      1 info cas [0 2]
      2 invoke read nil
      2 ok read 2
    `);
    expect(check(invalid).verdict).toBe('invalid');
  });

  it('keeps apart two ways of using indeterminate ops that reach the same state', () => {
    // Both the maybe-write of 5 and the maybe-cas 0 -> 5 can explain the first read of 5, but only the
    // write can explain the second, after 3 was written: the first read must use the cas.
    const history = shorthand(`
      0 invoke write 0
      0 ok write 0
      1 invoke write 5
      1 info write 5
      2 invoke cas [0 5]
      2 info cas [0 5]
      3 invoke read nil
      3 ok read 5
      4 invoke write 3
      4 ok write 3
      5 invoke read nil
      5 ok read 5
    `);
    const result = check(history);
    expect(result.verdict).toBe('valid');
    expect(result.partitions[0].linearization).toEqual([0, 2, 3, 4, 1, 5]);
  });

  it('names every operation that could go next at the deepest point it reached', () => {
    const history = shorthand(`
      0 invoke write 1
      0 ok write 1
      1 invoke read nil
      2 invoke write 3
      3 invoke cas [4 2]
      3 info cas [4 2]
      1 ok read 2
      2 ok write 3
    `);
    const result = check(history);
    expect(result.partitions[0]).toMatchObject({ verdict: 'invalid', longestPrefix: [0, 2], stateAfterPrefix: '3' });
    expect([...(result.partitions[0].stuck ?? [])].sort()).toEqual([1, 3]);
  });

  it('checks a mutex: overlapping acquires cannot both succeed', () => {
    const history = shorthand(`
      0 invoke acquire
      1 invoke acquire
      0 ok acquire
      1 ok acquire
    `);
    expect(check(history, 'mutex').verdict).toBe('invalid');
    const handedOver = shorthand(`
      0 invoke acquire
      0 ok acquire
      1 invoke acquire
      0 invoke release
      0 ok release
      1 ok acquire
    `);
    expect(check(handedOver, 'mutex').verdict).toBe('valid');
  });

  it('checks multi-register transactions atomically', () => {
    const torn = shorthand(`
      0 invoke txn [[:write :x 1] [:write :y 1]]
      0 ok txn [[:write :x 1] [:write :y 1]]
      0 invoke txn [[:write :x 2] [:write :y 2]]
      1 invoke txn [[:read :x nil] [:read :y nil]]
      1 ok txn [[:read :x 2] [:read :y 1]]
      0 ok txn [[:write :x 2] [:write :y 2]]
    `);
    expect(check(torn, 'multi-register').verdict).toBe('invalid');
    const whole = shorthand(`
      0 invoke txn [[:write :x 1] [:write :y 1]]
      0 ok txn [[:write :x 1] [:write :y 1]]
      0 invoke txn [[:write :x 2] [:write :y 2]]
      1 invoke txn [[:read :x nil] [:read :y nil]]
      1 ok txn [[:read :x 2] [:read :y 2]]
      0 ok txn [[:write :x 2] [:write :y 2]]
    `);
    expect(check(whole, 'multi-register').verdict).toBe('valid');
  });

  it('finds the one order among many concurrent writes that a chain of reads allows', () => {
    const writers = 10;
    const lines = [];
    for (let p = 0; p < writers; p++) lines.push(`${p} invoke write ${p}`);
    for (let p = 0; p < writers; p++) lines.push(`${p} ok write ${p}`);
    // Reads that saw the writes land in reverse order, each read after the write it saw was invoked.
    for (let p = writers - 1; p >= 0; p--) lines.push(`${writers} invoke read nil`, `${writers} ok read ${p}`);
    const result = check(shorthand(lines.join('\n')));
    expect(result.verdict).toBe('invalid');
    const interleaved = [];
    for (let p = writers - 1; p >= 0; p--) interleaved.push(`${p} invoke write ${p}`);
    for (let p = writers - 1; p >= 0; p--) interleaved.push(`${writers} invoke read nil`, `${writers} ok read ${p}`);
    for (let p = 0; p < writers; p++) interleaved.push(`${p} ok write ${p}`);
    expect(check(shorthand(interleaved.join('\n'))).verdict).toBe('valid');
  });
});

describe('the search budget', () => {
  const hard = readHistory(readFileSync(new URL('../fixtures/knossos/cas-register/bad/cas-failure.edn', import.meta.url), 'utf8'));

  it('ends in unknown, never valid or invalid, when the steps run out', () => {
    const full = checkHistory(hard, { model: 'cas-register' });
    expect(full.verdict).toBe('invalid');
    const cut = checkHistory(hard, { model: 'cas-register', budget: { steps: Math.floor(full.steps / 2) } });
    expect(cut.verdict).toBe('unknown');
    expect(cut.partitions[0]).toMatchObject({ exhausted: 'steps', steps: Math.floor(full.steps / 2) });
    expect(cut.partitions[0].longestPrefix).toBeUndefined();
  });

  it('is reproducible: the same budget gives the same result', () => {
    const budget = { steps: 700 };
    expect(checkHistory(hard, { model: 'cas-register', budget })).toEqual(checkHistory(hard, { model: 'cas-register', budget }));
  });

  it('ends in unknown when the time runs out', () => {
    let now = 0;
    const clock = () => (now += 1_000);
    const result = checkHistory(hard, { model: 'cas-register', budget: { millis: 1 }, clock });
    expect(result.verdict).toBe('unknown');
    expect(result.partitions[0].exhausted).toBe('time');
  });
});
