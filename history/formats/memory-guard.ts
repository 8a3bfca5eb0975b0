import { getHeapStatistics } from 'node:v8';
import { OutOfMemoryError } from '../input-error.ts';

// Node aborts the whole process (no message, no exit code of ours) when its heap is full. A history
// being read is the one thing whose size we can watch as it grows, so the reader stops itself first,
// with an estimate of what the whole history would need, while there is still room to say so.

/** The share of the heap limit at which reading stops. */
const STOP_AT = 0.85;

/**
 * What the old generation, where a history's events live, may hold: V8's heap_size_limit also counts
 * the young generation's reserve (48 MiB: three 16 MiB semi-spaces), which under a small
 * --max-old-space-size is as large as the old generation itself, so 85% of it would never be reached.
 */
function oldGenerationLimit(): number {
  const limit = getHeapStatistics().heap_size_limit;
  return limit - Math.min(48 * 2 ** 20, limit / 2);
}

export interface MemoryGuard {
  /** The size of the input in bytes, when known (a file; not a pipe). */
  expect(bytes: number | undefined): void;
  read(bytes: number): void;
  /** Throws OutOfMemoryError when the heap is nearly full. */
  check(): void;
}

export function memoryGuard(file: string, limit = oldGenerationLimit()): MemoryGuard {
  let total: number | undefined;
  let read = 0;
  const baseline = process.memoryUsage().heapUsed;
  return {
    expect: (bytes) => {
      total = bytes;
    },
    read: (bytes) => {
      read += bytes;
    },
    check: () => {
      const used = process.memoryUsage().heapUsed;
      if (used < limit * STOP_AT) return;
      const perByte = Math.max(used - baseline, 1) / Math.max(read, 1);
      const needs = total !== undefined && total > read ? `about ${mebibytes(baseline + perByte * total)}` : `more than ${mebibytes(used)}`;
      throw new OutOfMemoryError(
        `out of memory: the history needs ${needs} of memory for its events (read ${mebibytes(read)}${total !== undefined ? ` of ${mebibytes(total)}` : ''}), more than the ${mebibytes(limit)} this process may use; give Node more with NODE_OPTIONS=--max-old-space-size=<MiB>`,
        file,
      );
    },
  };
}

/**
 * The same watch over a phase after the read (pairing events into operations): `check(done)` every
 * so often, with how many of `total` items are done, extrapolating what the phase has taken so far.
 */
export function phaseGuard(file: string | undefined, what: string, total: number, limit = oldGenerationLimit()): (done: number) => void {
  const baseline = process.memoryUsage().heapUsed;
  return (done) => {
    const used = process.memoryUsage().heapUsed;
    if (used < limit * STOP_AT) return;
    const needs = baseline + (Math.max(used - baseline, 0) / Math.max(done, 1)) * total;
    throw new OutOfMemoryError(
      `out of memory: the history needs ${needs > limit ? `about ${mebibytes(needs)}` : `more than ${mebibytes(limit)}`} of memory for ${what} (${done} of ${total} done), more than the ${mebibytes(limit)} this process may use; give Node more with NODE_OPTIONS=--max-old-space-size=<MiB>`,
      file,
    );
  };
}

function mebibytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.ceil(bytes / 2 ** 20)} MiB`;
}
