import { describe, expect, it } from 'vitest';
import { detectPhantomReads } from './phantom-read.test-kit.ts';
import { shorthand } from './shorthand.test-kit.ts';

describe('detectPhantomReads on registers', () => {
  it('names a read of a value no write wrote', () => {
    const history = shorthand(`
      0 invoke write 1
      0 ok write 1
      1 invoke read nil
      1 ok read 7
    `);
    expect(detectPhantomReads(history).anomalies).toEqual([
      { kind: 'phantom-read', ops: [1], reason: 'read #1 returned 7, which no write wrote' },
    ]);
  });

  it('names a read of a value only a failed write wrote, with the failed write', () => {
    const history = shorthand(`
      1 invoke read nil
      101 invoke write 3
      101 fail write 3
      1 ok read 3
    `);
    const [anomaly] = detectPhantomReads(history).anomalies;
    expect(anomaly.ops).toEqual([1, 0]);
    expect(anomaly.reason).toMatch(/only write #1 wrote, and that write failed/);
  });

  it('accepts a read of an :info write, which may have happened', () => {
    const history = shorthand(`
      0 invoke write 1
      0 info write 1
      1 invoke read nil
      1 ok read 1
    `);
    expect(detectPhantomReads(history).anomalies).toEqual([]);
  });
});
