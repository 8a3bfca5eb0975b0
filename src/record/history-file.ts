import type { Event } from '../../history/event.ts';
import { createJsonlWriter } from '../../history/jsonl.ts';

/** Writes a recorded history as JSON Lines; the file appears whole or not at all. */
export function writeHistoryFile(path: string, events: Iterable<Event>): void {
  const writer = createJsonlWriter(path);
  try {
    for (const event of events) writer.write(event);
    writer.close();
  } catch (error) {
    writer.abort();
    throw error;
  }
}
