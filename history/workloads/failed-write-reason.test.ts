import { describe, expect, it } from 'vitest';
import { detectPhantomReads } from '../anomalies/phantom-read.test-kit.ts';
import { shorthand } from '../anomalies/shorthand.test-kit.ts';
import { checkListAppend } from './list-append/list-append.ts';
import { checkSet } from './set/set.ts';

// A phantom read of a value only a failed write wrote, said in the order the history shows it.

describe('the phantom-read sentence', () => {
  it('a failed write that overlapped the read took effect after all', () => {
    const history = shorthand('1 invoke write 5\n0 invoke read nil\n0 ok read 5\n1 fail write 5');
    expect(detectPhantomReads(history).anomalies[0].reason).toBe(
      'read #1 returned 5, which only write #0 wrote, and that write failed: it took effect after all',
    );
  });

  it('a failed write that began after the read had finished did not give the read its value', () => {
    const register = shorthand('0 invoke read nil\n0 ok read 5\n1 invoke write 5\n1 fail write 5');
    expect(detectPhantomReads(register).anomalies[0]).toMatchObject({
      ops: [1, 0],
      reason:
        'read #0 returned 5, which no write had produced when it finished; the only write of it, #1, began after the read had finished, and failed',
    });
    const set = checkSet(shorthand('0 invoke read nil\n0 ok read #{5}\n1 invoke add 5\n1 fail add 5'));
    expect(set.anomalies[0].reason).toBe(
      'read #0 holds 5, which no add had produced when it finished; the only add of it, #1, began after the read had finished, and failed',
    );
    const list = checkListAppend(shorthand('0 invoke read nil\n0 ok read [5]\n1 invoke append 5\n1 fail append 5'));
    expect(list.anomalies[0].reason).toBe(
      'read #0 holds 5, which no append had produced when it finished; the only append of it, #1, began after the read had finished, and failed',
    );
  });
});
