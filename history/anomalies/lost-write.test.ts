import { describe, expect, it } from 'vitest';
import { detectLostWrites } from './lost-write.test-kit.ts';
import { shorthand } from './shorthand.test-kit.ts';
import { detectStaleReads } from './stale-read.test-kit.ts';

describe('detectLostWrites on registers', () => {
  const rolledBack = shorthand(`
    0 invoke write 1
    0 ok write 1
    0 invoke write 2
    0 ok write 2 node=n1 epoch=1
    nemesis info kill n1
    1 invoke read nil
    1 ok read 1
    2 invoke read nil
    2 ok read 1
  `);

  it('names an acknowledged write that no later read ever shows, final read included', () => {
    const { anomalies } = detectLostWrites(rolledBack);
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toMatchObject({ kind: 'lost-write', ops: [0, 1, 2, 3] });
    expect(anomalies[0].reason).toMatch(/write #1 of 2 was acknowledged.*from read #2 on.*final read #3/);
  });

  it('does not also call the reads of the older value stale: a lost write is not transient', () => {
    expect(detectStaleReads(rolledBack).anomalies).toEqual([]);
  });

  it('tells a transient stale read from a lost write', () => {
    const history = shorthand(`
      0 invoke write 1
      0 ok write 1
      0 invoke write 2
      0 ok write 2
      1 invoke read nil
      1 ok read 1
      2 invoke read nil
      2 ok read 2
    `);
    expect(detectLostWrites(history).anomalies).toEqual([]);
    expect(detectStaleReads(history).anomalies).toHaveLength(1);
  });

  it('starts the lost stretch after the last read that saw the write', () => {
    const history = shorthand(`
      0 invoke write 1
      0 ok write 1
      0 invoke write 2
      0 ok write 2
      1 invoke read nil
      1 ok read 2
      1 invoke read nil
      1 ok read 1
      1 invoke read nil
      1 ok read 1
    `);
    const [lost] = detectLostWrites(history).anomalies;
    expect(lost.ops).toEqual([0, 1, 3, 4]);
  });

  it('says nothing when the last read began before the write completed', () => {
    const history = shorthand(`
      0 invoke write 1
      0 ok write 1
      1 invoke read nil
      0 invoke write 2
      0 ok write 2
      1 ok read 1
    `);
    expect(detectLostWrites(history).anomalies).toEqual([]);
  });

  it('says nothing of a failed write never seen, nor of a history without reads', () => {
    const failed = shorthand(`
      0 invoke write 1
      0 ok write 1
      0 invoke write 2
      0 fail write 2
      1 invoke read nil
      1 ok read 1
    `);
    expect(detectLostWrites(failed).anomalies).toEqual([]);
    expect(detectLostWrites(shorthand('0 invoke write 1\n0 ok write 1')).anomalies).toEqual([]);
  });

  it('leaves it inconclusive when the final value was written both before and after the write', () => {
    const history = shorthand(`
      0 invoke write 1
      0 ok write 1
      0 invoke write 2
      0 ok write 2
      1 invoke write 1
      1 info write 1
      2 invoke read nil
      2 ok read 1
    `);
    const { anomalies, inconclusive } = detectLostWrites(history);
    expect(anomalies).toEqual([]);
    expect(inconclusive).toHaveLength(1);
    expect(inconclusive[0].ops).toEqual([1, 3]);
    expect(inconclusive[0].reason).toMatch(/written both before and after/);
  });
});
