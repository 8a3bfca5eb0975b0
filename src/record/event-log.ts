import type { Event } from '../../history/event.ts';
import type { OpClock } from './op-clock.ts';

// The history as it happens: events handed to a sink in the order the recorder sees them, which is
// real-time order, each stamped with the recorder's clock. The log keeps only counts: a run's memory is
// bounded by its clients, not by its length (the sink streams them to disk).

export type UntimedEvent = Omit<Event, 'time'>;

export interface EventSink {
  write(event: Event): void;
  /** A promise to wait on before the next operation when the sink has fallen behind; undefined otherwise. */
  ready?(): Promise<void> | undefined;
}

export interface EventCounts {
  readonly events: number;
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
  readonly faults: number;
}

export class EventLog {
  #counts = { events: 0, ok: 0, fail: 0, info: 0, faults: 0 };
  #maxProcess = -1;

  constructor(
    readonly clock: OpClock,
    private readonly sink: EventSink,
  ) {}

  append(event: UntimedEvent): Event {
    const timed: Event = { ...event, time: this.clock.now() };
    this.sink.write(timed);
    this.#counts.events++;
    if (typeof event.process === 'number') {
      if (event.type !== 'invoke') this.#counts[event.type]++;
      if (event.process > this.#maxProcess) this.#maxProcess = event.process;
    } else if (event.process === 'nemesis') {
      this.#counts.faults++;
    }
    return timed;
  }

  /** Resolves when the sink can take more (clients wait on it between operations). */
  ready(): Promise<void> | undefined {
    return this.sink.ready?.();
  }

  get counts(): EventCounts {
    return { ...this.#counts };
  }

  /** A process number no client has used. */
  nextProcess(): number {
    return this.#maxProcess + 1;
  }
}

/** A sink that keeps every event: for tests and for short runs examined in memory. */
export function memorySink(): EventSink & { readonly events: Event[] } {
  const events: Event[] = [];
  return { events, write: (event) => events.push(event) };
}
