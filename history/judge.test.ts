import { describe, expect, it } from 'vitest';
import { shorthand } from './anomalies/shorthand.test-kit.ts';
import { readHistory } from './formats/read-history.ts';
import { isViolation, judgeHistory } from './judge.ts';

// One judgement per history, whatever its workload: the verdict comes from the right check, and the
// named anomalies from the same run.

describe('judgeHistory', () => {
  it('checks a register with the linearizability checker and names a stale read', () => {
    const judgement = judgeHistory(
      shorthand(`
      0 invoke write 1
      0 ok write 1
      0 invoke write 2
      0 ok write 2
      1 invoke read nil
      1 ok read 1
      1 invoke read nil
      1 ok read 2
    `),
    );
    expect(judgement).toMatchObject({ workload: 'register', model: 'register', verdict: 'invalid' });
    expect(judgement.check?.verdict).toBe('invalid');
    expect(judgement.explanation.findings.anomalies.map((a) => a.kind)).toEqual(['stale-read']);
    expect(isViolation(judgement)).toBe(true);
  });

  it('decides a list-append history by its append order, without the checker', () => {
    const judgement = judgeHistory(
      shorthand(`
      0 invoke append 1 key=x
      0 ok append 1 key=x
      1 invoke read nil key=x
      1 ok read [1] key=x
    `),
    );
    expect(judgement).toMatchObject({ workload: 'list-append', model: 'list-append', verdict: 'valid' });
    expect(judgement.check).toBeUndefined();
    expect(isViolation(judgement)).toBe(false);
  });

  it('judges a set history by the set-full criteria, and names a lost element from the same check', () => {
    const judgement = judgeHistory(
      shorthand(`
      0 invoke add 1
      0 ok add 1
      1 invoke read nil
      1 ok read #{}
    `),
    );
    expect(judgement).toMatchObject({ workload: 'set', model: 'set', verdict: 'invalid' });
    expect(judgement.explanation.findings.anomalies).toEqual(judgement.set?.anomalies);
    expect(judgement.explanation.findings.anomalies.map((a) => a.kind)).toContain('lost-write');
  });

  it('compares EDN sets as sets: #{1 2} written, #{2 1} read is valid, in maps too', () => {
    // A register of maps is named: reads that return maps are refused unless a model is given.
    const judge = (text: string) => judgeHistory(readHistory(text), { model: 'register' }).verdict;
    expect(
      judge(`
      {:type :invoke, :process 0, :f :write, :value #{1 2}}
      {:type :ok, :process 0, :f :write, :value #{1 2}}
      {:type :invoke, :process 1, :f :read, :value nil}
      {:type :ok, :process 1, :f :read, :value #{2 1}}
    `),
    ).toBe('valid');
    expect(
      judge(`
      {:type :invoke, :process 0, :f :write, :value {:a #{:x :y}}}
      {:type :ok, :process 0, :f :write, :value {:a #{:x :y}}}
      {:type :invoke, :process 1, :f :read, :value nil}
      {:type :ok, :process 1, :f :read, :value {:a #{:y :x}}}
    `),
    ).toBe('valid');
  });

  it('calls a history with a dual leader a violation even when its data is linearizable', () => {
    const judgement = judgeHistory(
      shorthand(`
      0 invoke write 1
      0 ok write 1 node=n1 epoch=3
      1 invoke write 2
      1 ok write 2 node=n2 epoch=3
    `),
    );
    expect(judgement.verdict).toBe('valid');
    expect(judgement.explanation.findings.anomalies.map((a) => a.kind)).toEqual(['dual-leader']);
    expect(isViolation(judgement)).toBe(true);
  });
});
