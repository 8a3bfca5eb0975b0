import { describe, expect, it } from 'vitest';
import { shorthand } from './shorthand.test-kit.ts';
import { detectStaleReads } from './stale-read.test-kit.ts';

describe('detectStaleReads on registers', () => {
  it('names a read of an overwritten value, with the write, its overwriter and the read, and tells it is transient', () => {
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
    const { anomalies, inconclusive } = detectStaleReads(history);
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0].kind).toBe('stale-read');
    expect(anomalies[0].ops).toEqual([0, 1, 2, 3]);
    expect(anomalies[0].reason).toMatch(/transient/);
    expect(inconclusive).toEqual([]);
  });

  it('names a read of the initial value after a write completed', () => {
    const history = shorthand(`
      0 invoke write 1
      0 ok write 1
      1 invoke read nil
      1 ok read nil
      1 invoke read nil
      1 ok read 1
    `);
    const { anomalies } = detectStaleReads(history);
    expect(anomalies.map((a) => a.ops)).toEqual([[0, 1, 2]]);
    expect(anomalies[0].reason).toMatch(/initial value/);
  });

  it('says nothing of a read concurrent with the overwriting write', () => {
    const history = shorthand(`
      0 invoke write 1
      0 ok write 1
      0 invoke write 2
      1 invoke read nil
      0 ok write 2
      1 ok read 1
    `);
    expect(detectStaleReads(history).anomalies).toEqual([]);
  });

  it('says nothing when the two writes were concurrent: either may have come last', () => {
    const history = shorthand(`
      0 invoke write 1
      1 invoke write 2
      1 ok write 2
      0 ok write 1
      2 invoke read nil
      2 ok read 2
      2 invoke read nil
      2 ok read 2
    `);
    expect(detectStaleReads(history).anomalies).toEqual([]);
  });

  it('says nothing of an :info write that lands late', () => {
    const history = shorthand(`
      0 invoke write 1
      0 info write 1
      1 invoke write 2
      1 ok write 2
      2 invoke read nil
      2 ok read 1
    `);
    expect(detectStaleReads(history)).toEqual({ anomalies: [], inconclusive: [] });
  });

  it('treats a cas as a read of the value it compared against', () => {
    const history = shorthand(`
      0 invoke write 1
      0 ok write 1
      0 invoke write 2
      0 ok write 2
      1 invoke cas [1 3]
      1 ok cas [1 3]
      2 invoke read nil
      2 ok read 3
    `);
    const { anomalies } = detectStaleReads(history);
    expect(anomalies.map((a) => a.ops)).toEqual([[0, 1, 2, 3]]);
    expect(anomalies[0].reason).toMatch(/^cas #2 compared against 1/);
  });

  it('reports a read inconclusive when its value was written twice and only one write was overwritten', () => {
    const history = shorthand(`
      0 invoke write 1
      0 ok write 1
      0 invoke write 2
      0 ok write 2
      1 invoke write 1
      2 invoke read nil
      2 ok read 1
      1 ok write 1
    `);
    const { anomalies, inconclusive } = detectStaleReads(history);
    expect(anomalies).toEqual([]);
    expect(inconclusive).toHaveLength(1);
    expect(inconclusive[0].ops).toEqual([3]);
    expect(inconclusive[0].reason).toMatch(/cannot tell/);
  });

  it('still proves a stale read when every write of a repeated value was overwritten', () => {
    const history = shorthand(`
      0 invoke write 1
      0 ok write 1
      0 invoke write 2
      0 ok write 2
      0 invoke write 1
      0 ok write 1
      0 invoke write 3
      0 ok write 3
      1 invoke read nil
      1 ok read 1
      1 invoke read nil
      1 ok read 3
    `);
    const { anomalies, inconclusive } = detectStaleReads(history);
    expect(inconclusive).toEqual([]);
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0].ops).toEqual([0, 1, 2, 3, 4]);
  });

  it('works key by key', () => {
    const history = shorthand(`
      0 invoke write 1 key=x
      0 ok write 1 key=x
      0 invoke write 2 key=y
      0 ok write 2 key=y
      1 invoke read nil key=x
      1 ok read 1 key=x
    `);
    expect(detectStaleReads(history).anomalies).toEqual([]);
  });
});
