import { describe, expect, it } from 'vitest';
import { shorthand } from '../anomalies/shorthand.test-kit.ts';
import { bruteForceLevel } from './brute-force-levels.test-kit.ts';
import { checkConsistency } from './check-consistency.ts';

// The real-time write order also orders writes by the leader epoch they were acknowledged under: a
// single leader's log holds an earlier epoch's writes before a later one's, whatever the clients saw.

// Writes 1 and 2 overlap in real time, so real time leaves their order open; their epochs do not.
const overlapping = `
  0 invoke write 1
  1 invoke write 2
  1 ok write 2 epoch=1
  0 ok write 1 epoch=2
  2 invoke read nil
  2 ok read 1
  2 invoke read nil
  2 ok read 2
`;

describe('the real-time write order and epochs', () => {
  it('orders writes of an earlier epoch first, so a session reading them backwards fails monotonic reads', () => {
    const history = shorthand(overlapping);
    const result = checkConsistency(history, 'monotonic-reads', { workload: 'register' });
    expect(result.holds === false && result.evidence.reason).toBe(
      'monotonic-reads fails: the write of 2 (#1) was acknowledged in epoch 1, before the write of 1 (#0) in epoch 2; process 2 read 1 (#2) then 2 (#3); no order of the writes satisfies all of these',
    );
    expect(bruteForceLevel(history, 'register', 'monotonic-reads')).toBe(false);
    expect(checkConsistency(history, 'monotonic-reads', { writeOrder: 'free' }).holds).toBe(true);
    expect(bruteForceLevel(history, 'register', 'monotonic-reads', null, 'free')).toBe(true);
  });

  it('without epochs, overlapping writes may be ordered either way', () => {
    const history = shorthand(overlapping.replace(/ epoch=\d/g, ''));
    expect(checkConsistency(history, 'monotonic-reads').holds).toBe(true);
    expect(bruteForceLevel(history, 'register', 'monotonic-reads')).toBe(true);
  });

  it('an :info write is ordered after what completed before it began, only if it happened', () => {
    const history = shorthand(`
      0 invoke write 1
      0 ok write 1
      1 invoke write 2
      1 info write 2
      2 invoke read nil
      2 ok read 2
      2 invoke read nil
      2 ok read 1
    `);
    expect(checkConsistency(history, 'monotonic-reads').holds).toBe(false);
    expect(bruteForceLevel(history, 'register', 'monotonic-reads')).toBe(false);
    const unseen = shorthand('0 invoke write 1\n0 ok write 1\n1 invoke write 2\n1 info write 2\n2 invoke read nil\n2 ok read 1');
    expect(checkConsistency(unseen, 'read-your-writes').holds).toBe(true);
  });
});
