import fc from 'fast-check';
import type { Event } from '../event.ts';
import type { Value } from '../value.ts';
import type { LevelWorkload } from '../workloads/workload.ts';

// Random small register and list-append histories for the consistency levels' property tests, from a
// toy replicated store: each key has one log; an acknowledged write joins it when it completes (now and
// then one entry early: writes reordered), a read returns a prefix of it (usually the whole log, now and
// then a stale one: stale reads, reads going back), an :info write joins it at once, later, or never, and
// now and then a failed write takes effect anyway or a read returns a garbled list. So histories are often
// linearizable, often only weaker, and sometimes break every level. Written values are unique. After an
// :info a client goes on, sometimes as the same process (as the model's clients do: its write may still
// land after its next operations) and sometimes as a fresh one (as Jepsen's do). Built from plain
// integers so fast-check shrinks them well.

export interface SmallSessionHistoryOptions {
  readonly workload: LevelWorkload;
  readonly maxOps?: number;
  readonly slots?: number;
  readonly keys?: number;
  /** Register histories with compare-and-set. */
  readonly cas?: boolean;
}

type Choice = readonly [number, number, number];

interface Pending {
  readonly invoke: Event;
  readonly key: number;
  readonly kind: 'read' | 'write' | 'cas';
}

/** An :info write (or cas) that has not landed yet. */
interface Floating {
  readonly key: number;
  readonly value: number;
  readonly old?: Value;
}

export function smallSessionHistory({
  workload,
  maxOps = 8,
  slots = 3,
  keys = 1,
  cas = false,
}: SmallSessionHistoryOptions): fc.Arbitrary<Event[]> {
  const choice = fc.tuple(fc.nat(slots), fc.nat(59), fc.nat(59));
  return fc
    .array(choice, { maxLength: 4 * maxOps, size: 'max' })
    .map((choices) => new Store(workload, maxOps, slots, keys, cas).run(choices));
}

class Store {
  private readonly events: Event[] = [];
  private readonly logs: number[][];
  private readonly pending: (Pending | undefined)[];
  private readonly process: number[];
  private readonly floating: Floating[] = [];
  private invoked = 0;
  private written = 0;

  constructor(
    private readonly workload: SmallSessionHistoryOptions['workload'],
    private readonly maxOps: number,
    private readonly slots: number,
    keys: number,
    private readonly cas: boolean,
  ) {
    this.logs = Array.from({ length: keys }, () => []);
    this.pending = Array.from({ length: slots }, () => undefined);
    this.process = Array.from({ length: slots }, (_, i) => i);
  }

  run(choices: readonly Choice[]): Event[] {
    for (const [slot, a, b] of choices) {
      if (slot === this.slots) this.land(a);
      else if (this.pending[slot]) this.complete(slot, a, b);
      else if (this.invoked < this.maxOps) this.invoke(slot, a, b);
    }
    return this.events;
  }

  private land(a: number): void {
    if (this.floating.length === 0) return;
    const [write] = this.floating.splice(a % this.floating.length, 1);
    if (write.old === undefined || this.current(write.key) === write.old) this.logs[write.key].push(write.value);
  }

  private invoke(slot: number, a: number, b: number): void {
    this.invoked++;
    const kinds = this.cas && this.workload === 'register' ? 3 : 2;
    const kind = (['read', 'write', 'cas'] as const)[a % kinds];
    const key = b % this.logs.length;
    const f = kind === 'write' && this.workload === 'list-append' ? 'append' : kind;
    const value: Value = kind === 'read' ? null : kind === 'write' ? ++this.written : [this.casOld(key, b), ++this.written];
    const invoke: Event = { type: 'invoke', process: this.process[slot], f, value, ...(this.logs.length > 1 && { key }) };
    this.events.push(invoke);
    this.pending[slot] = { invoke, key, kind };
  }

  /** Usually the current value, else an older one or one never written. */
  private casOld(key: number, b: number): Value {
    const log = this.logs[key];
    const pick = Math.floor(b / this.logs.length) % 4;
    if (pick < 2) return this.current(key);
    if (pick === 2 && log.length > 1) return log[log.length - 2];
    return this.written + 7;
  }

  private complete(slot: number, a: number, b: number): void {
    const { invoke, key, kind } = this.pending[slot]!;
    this.pending[slot] = undefined;
    let type: Event['type'] = a % 6 < 4 ? 'ok' : a % 6 === 4 ? 'fail' : 'info';
    let value = invoke.value;
    const log = this.logs[key];
    if (kind === 'read' && type === 'ok') value = this.readValue(log, b);
    if (kind === 'write') {
      const written = value as number;
      if (type === 'ok' || (type === 'fail' && b % 13 === 0) || (type === 'info' && b % 3 === 0)) this.join(log, written, b);
      else if (type === 'info' && b % 3 === 1) this.floating.push({ key, value: written });
    }
    if (kind === 'cas') {
      const [old, written] = value as readonly [Value, number];
      const matches = this.current(key) === old;
      if (type === 'ok' && !matches && b % 11 !== 0) type = 'fail';
      if ((type === 'ok' || (type === 'info' && b % 3 === 0)) && matches) log.push(written);
      else if (type === 'info' && b % 3 === 1) this.floating.push({ key, value: written, old });
    }
    this.events.push({ type, process: invoke.process, f: invoke.f, value, ...(invoke.key !== undefined && { key: invoke.key }) });
    if (type === 'info' && b % 2 === 1) this.process[slot] += this.slots;
  }

  /** A prefix of the log: mostly all of it, sometimes stale; now and then garbled. */
  private readValue(log: readonly number[], b: number): Value {
    const stale = b % 3 === 0 ? Math.floor(b / 3) % (log.length + 1) : 0;
    const prefix = log.slice(0, log.length - stale);
    if (this.workload === 'register') return b % 17 === 16 ? this.written + 1 : (prefix.at(-1) ?? null);
    if (b % 19 === 18 && prefix.length > 1) return [...prefix].reverse();
    return prefix;
  }

  private join(log: number[], value: number, b: number): void {
    if (b % 7 === 6 && log.length > 0) log.splice(log.length - 1, 0, value);
    else log.push(value);
  }

  private current(key: number): Value {
    return this.logs[key].at(-1) ?? null;
  }
}
