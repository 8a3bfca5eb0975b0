import { closeSync, createWriteStream, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Event } from '../../history/event.ts';
import { formatEventJson } from '../../history/formats/jsonl.ts';
import type { EventSink } from './event-log.ts';

// The history as the run goes: JSON Lines through a temporary file beside the path, renamed into place
// when closed. Writes are asynchronous (a synchronous write on a busy disk stalls every client for as
// long as the disk takes); when the disk falls behind, clients wait before their next operation, so the
// backlog, and the run's memory, stays bounded. Once closed it ignores what clients still record (while
// an interrupt cleans up).

const CHUNK = 1 << 16;
/** Past this much unwritten history, clients wait for the disk. */
const BACKLOG_LIMIT = 32 << 20;

export interface HistoryFile extends EventSink {
  /** Flushes and moves the file into place. */
  close(): Promise<void>;
  /** For exit paths that cannot wait: what is still buffered here is written, the stream's backlog may be lost. */
  closeNow(): void;
  /** Removes the temporary file; the path is left as it was. */
  abort(): Promise<void>;
}

export function openHistoryFile(path: string): HistoryFile {
  const temporary = `${path}.${process.pid}.tmp`;
  const stream = createWriteStream(temporary);
  stream.on('error', () => {});
  let buffer = '';
  let open = true;
  let drained: Promise<void> | undefined;
  const flush = () => {
    if (buffer.length > 0) stream.write(buffer);
    buffer = '';
  };
  return {
    write(event: Event) {
      if (!open) return;
      buffer += `${formatEventJson(event)}\n`;
      if (buffer.length >= CHUNK) flush();
    },
    ready() {
      if (stream.writableLength < BACKLOG_LIMIT) return undefined;
      drained ??= new Promise<void>((resolve) => stream.once('drain', resolve)).finally(() => (drained = undefined));
      return drained;
    },
    async close() {
      if (!open) return;
      open = false;
      stream.end(buffer);
      buffer = '';
      await finished(stream);
      renameSync(temporary, path);
    },
    closeNow() {
      if (!open) return;
      open = false;
      stream.destroy();
      const fd = openSync(temporary, 'a');
      try {
        writeSync(fd, buffer);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, path);
    },
    async abort() {
      if (!open) return;
      open = false;
      stream.destroy();
      rmSync(temporary, { force: true });
    },
  };
}
