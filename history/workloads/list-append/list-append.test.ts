import { describe, expect, it } from 'vitest';
import { shorthand } from '../../anomalies/shorthand.test-kit.ts';
import { InputError } from '../../input-error.ts';
import { recogniseWorkload } from '../workload.ts';
import { checkListAppend } from './list-append.ts';

const kinds = (text: string) => checkListAppend(shorthand(text)).anomalies.map((a) => a.kind);

describe('checkListAppend', () => {
  it('accepts concurrent appends, a late :info append that shows up, and a failed append never seen', () => {
    const result = checkListAppend(
      shorthand(`
        0 invoke append 1 key=x
        1 invoke append 2 key=x
        1 ok append 2 key=x
        0 ok append 1 key=x
        2 invoke append 3 key=x
        2 info append 3 key=x
        3 invoke append 4 key=x
        3 fail append 4 key=x
        nemesis info start-partition nil
        4 invoke read nil key=x
        4 ok read [2 1] key=x
        5 invoke read nil key=x
        5 ok read [2 1 3] key=x
        nemesis info stop-partition nil
      `),
    );
    expect(result.anomalies).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.counts).toEqual({ keys: 1, appends: { ok: 2, info: 1, fail: 1 }, reads: 2, recovered: 1 });
  });

  it("reads Elle's single-micro-op transactions like appends and reads", () => {
    const history = shorthand(`
      0 invoke txn [[:append 9 1]]
      0 ok txn [[:append 9 1]]
      1 invoke txn [[:r 9 nil]]
      1 ok txn [[:r 9 [1 5]]]
    `);
    expect(recogniseWorkload(history)).toBe('list-append');
    const [anomaly] = checkListAppend(history).anomalies;
    expect(anomaly).toMatchObject({ kind: 'phantom-read', key: 9, ops: [1] });
  });

  it('refuses multi-operation transactions with a clear error', () => {
    const history = shorthand(`
      0 invoke txn [[:append 9 1] [:r 9 nil]]
      0 ok txn [[:append 9 1] [:r 9 [1]]]
    `);
    expect(() => checkListAppend(history)).toThrow(InputError);
    expect(() => checkListAppend(history)).toThrow(/transaction of 2 micro-ops: multi-operation transactions are not supported/);
  });

  it('refuses an element appended twice', () => {
    expect(() => kinds('0 invoke append 1\n0 ok append 1\n1 invoke append 1\n1 ok append 1')).toThrow(/appended twice/);
  });

  it('names elements never appended, or appended by a failed append', () => {
    const result = checkListAppend(
      shorthand(`
        0 invoke append 1
        0 fail append 1
        1 invoke read nil
        1 ok read [1 8]
      `),
    );
    expect(result.anomalies.map((a) => [a.kind, a.ops])).toEqual([
      ['phantom-read', [0, 1]],
      ['phantom-read', [1]],
    ]);
  });

  it('names an element read twice', () => {
    expect(kinds('0 invoke append 1\n0 ok append 1\n1 invoke read nil\n1 ok read [1 1]')).toEqual(['duplicate-element']);
  });

  it('names an acknowledged append missing from the final read', () => {
    const result = checkListAppend(
      shorthand(`
        0 invoke append 1
        0 ok append 1
        0 invoke append 2
        0 ok append 2
        1 invoke read nil
        1 ok read [1 2]
        1 invoke read nil
        1 ok read [1]
        2 invoke read nil
        2 ok read [1]
      `),
    );
    expect(result.anomalies.map((a) => a.kind)).toEqual(['lost-write']);
    expect(result.anomalies[0].ops).toEqual([1, 2, 3, 4]);
  });

  it('names an indeterminate append that a read showed and the final read lacks', () => {
    const result = checkListAppend(
      shorthand(`
        0 invoke append 1
        0 info append 1
        1 invoke read nil
        1 ok read [1]
        2 invoke read nil
        2 ok read []
      `),
    );
    expect(result.anomalies.map((a) => [a.kind, a.ops])).toEqual([['lost-write', [0, 1, 2]]]);
    expect(result.anomalies[0].reason).toMatch(/was indeterminate, read #1 showed it/);
  });

  it('tells a transient stale read, missing an append a later read shows', () => {
    const result = checkListAppend(
      shorthand(`
        0 invoke append 1
        0 ok append 1
        0 invoke append 2
        0 ok append 2
        1 invoke read nil
        1 ok read [1]
        2 invoke read nil
        2 ok read [1 2]
      `),
    );
    expect(result.anomalies.map((a) => [a.kind, a.ops])).toEqual([['stale-read', [1, 2, 3]]]);
    expect(result.anomalies[0].reason).toMatch(/transient/);
  });

  it('names reads that no single order of appends explains', () => {
    expect(
      kinds(`
        0 invoke append 1
        0 ok append 1
        1 invoke append 2
        1 ok append 2
        2 invoke read nil
        2 ok read [1 2]
        3 invoke read nil
        3 ok read [2 1]
      `),
    ).toEqual(['dual-leader']);
  });
});
