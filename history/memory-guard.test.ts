import { describe, expect, it } from 'vitest';
import { OutOfMemoryError } from './input-error.ts';
import { memoryGuard } from './memory-guard.ts';

describe('memoryGuard', () => {
  it('lets reading go on while the heap has room', () => {
    const guard = memoryGuard('h.jsonl', 64 * 2 ** 30);
    guard.expect(2 ** 30);
    guard.read(2 ** 20);
    expect(() => guard.check()).not.toThrow();
  });

  it('stops with what the whole history would need once the heap is nearly full', () => {
    const used = process.memoryUsage().heapUsed;
    const guard = memoryGuard('h.jsonl', Math.floor(used / 2));
    guard.expect(10 * 2 ** 30);
    guard.read(2 ** 30);
    let error: unknown;
    try {
      guard.check();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OutOfMemoryError);
    expect((error as OutOfMemoryError).describe()).toMatch(
      /^h\.jsonl: out of memory: the history needs about [\d.]+ (MiB|GiB) of memory for its events \(read 1\.0 GiB of 10\.0 GiB\), more than the \d+ MiB this process may use; give Node more with NODE_OPTIONS=--max-old-space-size=<MiB>$/,
    );
  });

  it('says "more than" for input of unknown size (a pipe)', () => {
    const guard = memoryGuard('-', Math.floor(process.memoryUsage().heapUsed / 2));
    guard.expect(undefined);
    guard.read(100);
    expect(() => guard.check()).toThrow(/the history needs more than \d+ MiB of memory for its events \(read 1 MiB\)/);
  });
});
