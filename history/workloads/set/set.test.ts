import { describe, expect, it } from 'vitest';
import { shorthand } from '../../anomalies/shorthand.test-kit.ts';
import { checkSet } from './set.ts';

describe('checkSet', () => {
  it('counts stable, recovered and never-read elements and finds nothing wrong in a good history', () => {
    const result = checkSet(
      shorthand(`
        0 invoke add 1
        0 ok add 1
        1 invoke add 2
        1 info add 2
        2 invoke add 3
        2 fail add 3
        3 invoke read nil
        3 ok read #{1 2}
        0 invoke add 4
        0 ok add 4
      `),
    );
    expect(result.anomalies).toEqual([]);
    expect(result.counts).toEqual({
      keys: 1,
      attempted: 3,
      acknowledged: 2,
      reads: 1,
      stable: 1,
      stale: 0,
      lost: 0,
      neverRead: 2,
      unexpected: 0,
      recovered: 1,
      duplicated: 0,
    });
  });

  it('names lost, stale, unexpected and duplicated elements; stale reads fail only with linearizable reads', () => {
    const history = shorthand(`
        0 invoke add 1
        0 ok add 1
        0 invoke add 2
        0 ok add 2
        0 invoke add 3
        0 fail add 3
        1 invoke read nil
        1 ok read [1 3 3]
        1 invoke read nil
        1 ok read [2 9]
        1 invoke read nil
        1 ok read [2]
      `);
    const result = checkSet(history, { reads: 'linearizable' });
    expect(result.anomalies.map((a) => [a.kind, a.ops])).toEqual([
      ['duplicate-element', [3]],
      ['phantom-read', [2, 3]],
      ['phantom-read', [4]],
      ['lost-write', [0, 3, 4, 5]],
      ['stale-read', [1, 3, 5]],
    ]);
    expect(result.allowed).toEqual([]);
    expect(result.counts).toMatchObject({ stable: 0, stale: 1, lost: 1, unexpected: 2, duplicated: 1 });
    const eventual = checkSet(history);
    expect(eventual.reads).toBe('eventual');
    expect(eventual.anomalies.map((a) => a.kind)).toEqual(['duplicate-element', 'phantom-read', 'phantom-read', 'lost-write']);
    expect(eventual.allowed.map((a) => [a.kind, a.ops])).toEqual([['stale-read', [1, 3, 5]]]);
    expect(eventual.counts).toEqual(result.counts);
  });
});
