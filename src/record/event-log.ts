import type { Event } from '../../history/event.ts';
import type { OpClock } from './op-clock.ts';

// The history as it happens: events appended in the order the recorder sees them, which is real-time
// order, each stamped with the recorder's clock.

export type UntimedEvent = Omit<Event, 'time'>;

export interface EventCounts {
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
  readonly faults: number;
}

export class EventLog {
  readonly events: Event[] = [];
  #counts = { ok: 0, fail: 0, info: 0, faults: 0 };

  constructor(readonly clock: OpClock) {}

  append(event: UntimedEvent): Event {
    const timed: Event = { ...event, time: this.clock.now() };
    this.events.push(timed);
    if (typeof event.process === 'number') {
      if (event.type !== 'invoke') this.#counts[event.type]++;
    } else if (event.process === 'nemesis') {
      this.#counts.faults++;
    }
    return timed;
  }

  get counts(): EventCounts {
    return { ...this.#counts };
  }
}
