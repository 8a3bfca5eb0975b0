import fc from 'fast-check';
import type { Event } from '../event.ts';
import type { Value } from '../value.ts';

// Random small register histories for property tests: a few client slots invoke reads, writes and
// (for a cas-register) compare-and-sets over a tiny value domain, so histories are often linearizable
// and often not. Completions are ok, fail or info; a slot whose op ended :info has crashed, and its next
// op comes from a fresh process, as in Jepsen; ops still pending at the end never complete. Nemesis
// markers are sprinkled in. Built from plain integers so fast-check shrinks them well.

export interface SmallHistoryOptions {
  readonly model: 'register' | 'cas-register';
  readonly maxOps?: number;
  readonly slots?: number;
  /** Of every six completions, how many are :info (one is :fail, the rest :ok). */
  readonly infoInSix?: number;
}

const VALUES: readonly Value[] = [null, 0, 1, 2];

export function smallRegisterHistory({ model, maxOps = 8, slots = 3, infoInSix = 1 }: SmallHistoryOptions): fc.Arbitrary<Event[]> {
  const choice = fc.tuple(fc.nat(slots), fc.nat(11), fc.nat(11));
  return fc.array(choice, { maxLength: 4 * maxOps, size: 'max' }).map((choices) => build(choices, model, maxOps, slots, infoInSix));
}

function build(
  choices: readonly [number, number, number][],
  model: SmallHistoryOptions['model'],
  maxOps: number,
  slots: number,
  infoInSix: number,
): Event[] {
  const events: Event[] = [];
  const process = Array.from({ length: slots }, (_, i) => i);
  const pending: (Event | undefined)[] = Array.from({ length: slots }, () => undefined);
  let invoked = 0;
  for (const [pick, a, b] of choices) {
    if (pick === slots) {
      events.push({ type: 'info', process: 'nemesis', f: a % 2 ? 'start-partition' : 'stop-partition', value: null });
      continue;
    }
    const invocation = pending[pick];
    if (invocation === undefined) {
      if (invoked === maxOps) continue;
      invoked++;
      const invoke = invocationOf(process[pick], a % (model === 'cas-register' ? 3 : 2), b);
      pending[pick] = invoke;
      events.push(invoke);
      continue;
    }
    const type = a % 6 < 5 - infoInSix ? 'ok' : a % 6 === 5 - infoInSix ? 'fail' : 'info';
    const value = invocation.f === 'read' && type === 'ok' ? VALUES[b % VALUES.length] : invocation.value;
    events.push({ type, process: process[pick], f: invocation.f, value });
    pending[pick] = undefined;
    if (type === 'info') process[pick] += slots;
  }
  return events;
}

function invocationOf(process: number, kind: number, b: number): Event {
  if (kind === 0) return { type: 'invoke', process, f: 'read', value: null };
  if (kind === 1) return { type: 'invoke', process, f: 'write', value: b % 3 };
  return { type: 'invoke', process, f: 'cas', value: [b % 3, Math.floor(b / 3) % 3] };
}
