import type { Event, Key, Process } from '../event.ts';
import { isClientProcess } from '../event.ts';
import { InputError } from '../input-error.ts';
import type { Value } from '../value.ts';
import { describeValue } from '../value.ts';
import type { SourcedEvents } from './sourced-events.ts';

// jepsen.independent runs one workload per key and writes each client value as a [key value] tuple:
// `{:f :read, :value [3 nil]}` then `{:f :read, :value [3 7]}`. Splitting the tuple gives the key its own
// field, which is what the checker partitions by. The key an invocation names carries over to a
// completion that has no tuple (an :info with value nil, say).

export function splitKeyedEvents(source: SourcedEvents, file?: string): SourcedEvents {
  const pendingKeys = new Map<Process, Key>();
  const events = source.events.map((event, i) => {
    if (!isClientProcess(event.process) || event.key !== undefined) return event;
    const tuple = keyedTuple(event.value);
    const pendingKey = pendingKeys.get(event.process);
    if (event.type === 'invoke') {
      if (!tuple)
        throw new InputError(
          `expected a [key value] tuple as the value of a keyed operation, found ${describeValue(event.value)}`,
          where(source, i, file),
        );
      pendingKeys.set(event.process, tuple.key);
      return { ...event, key: tuple.key, value: tuple.value };
    }
    pendingKeys.delete(event.process);
    if (!tuple) {
      if (pendingKey === undefined) {
        throw new InputError(
          `expected a [key value] tuple as the value of a keyed operation, found ${describeValue(event.value)}`,
          where(source, i, file),
        );
      }
      return { ...event, key: pendingKey };
    }
    if (pendingKey !== undefined && pendingKey !== tuple.key) {
      throw new InputError(`this completion is for key ${tuple.key} but its invocation was for key ${pendingKey}`, where(source, i, file));
    }
    return { ...event, key: tuple.key, value: tuple.value };
  });
  return { events, lines: source.lines, columns: source.columns };
}

/**
 * Whether the events look like a jepsen.independent history read without saying so: every client
 * invocation and every acknowledged completion carries a [key value] tuple, and some of them are not
 * writes or cas ops (whose values may be pairs of their own: a cas is [old new]). Then reading them as
 * one register would see 2-element vectors as values and call every read a phantom.
 */
export function looksKeyed(events: readonly Event[]): boolean {
  let beyondPairs = false;
  let clients = 0;
  for (const event of events) {
    if (!isClientProcess(event.process) || event.key !== undefined) continue;
    if (event.type !== 'invoke' && event.type !== 'ok') continue;
    if (!keyedTuple(event.value)) return false;
    clients++;
    if (event.f !== 'write' && event.f !== 'cas') beyondPairs = true;
  }
  return clients > 0 && beyondPairs;
}

function where(source: SourcedEvents, i: number, file: string | undefined) {
  return { file, line: source.lines[i], column: source.columns[i] };
}

function keyedTuple(value: Value): { key: Key; value: Value } | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [key, inner] = value as readonly Value[];
  if (typeof key === 'string' || typeof key === 'number') return { key, value: inner };
  if (typeof key === 'bigint') return { key: key.toString(), value: inner };
  return undefined;
}
