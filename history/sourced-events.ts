import type { Event } from './event.ts';

// What every history reader returns: the events in file order, and where in the file each came from,
// so that problems found later (pairing, keys) can still point at a line.

export interface SourcedEvents {
  readonly events: Event[];
  /** lines[i] is the 1-based line where events[i] starts. */
  readonly lines: number[];
  /** columns[i] is the 1-based column where events[i] starts. */
  readonly columns: number[];
}

export interface ReaderOptions {
  /** Named in error messages. */
  readonly file?: string;
  /** The workload is keyed (jepsen.independent): client values are [key value] tuples. */
  readonly keyed?: boolean;
}
