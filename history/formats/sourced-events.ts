import type { Event } from '../event.ts';

// What every history reader returns: the events in file order, and where in the file each came from,
// so that problems found later (pairing, keys) can still point at a line.

export interface SourcedEvents {
  readonly events: Event[];
  /** lines[i] is the 1-based line where events[i] starts. */
  readonly lines: number[];
  /** columns[i] is the 1-based column where events[i] starts. */
  readonly columns: number[];
  /** Lines that looked like events of another format, left out because the reader was told to. */
  readonly skipped?: { readonly lines: number; readonly first: number };
}

export interface ReaderOptions {
  /** Named in error messages. */
  readonly file?: string;
  /** The workload is keyed (jepsen.independent): client values are [key value] tuples. */
  readonly keyed?: boolean;
  /** Leave out (rather than refuse) lines of a log that look like events of another format. */
  readonly skipForeignLines?: boolean;
}

/**
 * A reader fed a history piece by piece, so a file of any size is read without ever being one string.
 * Each piece but the last ends where a line does (EDN: where whitespace does), so no token is split.
 */
export interface ChunkReader {
  feed(piece: string, last: boolean): void;
  /** The events read, once the last piece is in. */
  finish(): SourcedEvents;
}

/** A whole text through a chunk reader, in one piece. */
export function readWhole(reader: ChunkReader, text: string): SourcedEvents {
  reader.feed(text, true);
  return reader.finish();
}
