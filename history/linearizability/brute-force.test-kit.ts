import type { Event } from '../event.ts';
import type { Value } from '../value.ts';
import { valueKey } from '../value.ts';

// A test oracle for the checker, written apart from it and as plainly as possible: pair the events,
// then try every order of the operations that real time allows, leaving out any indeterminate ones,
// remembering only which (placed operations, state) pairs have already failed. Exponential; for
// histories of a dozen operations or so. Registers start at nil.

interface PlainOp {
  readonly f: string;
  readonly input: Value;
  readonly output: Value;
  readonly happened: 'certainly' | 'maybe';
  readonly invokedAt: number;
  /** Infinity for an operation that may still take effect at any later time. */
  readonly returnedAt: number;
}

export function bruteForceLinearizable(events: readonly Event[], model: 'register' | 'cas-register'): boolean {
  const ops = pair(events);
  const placed = ops.map(() => false);
  const failed = new Set<string>();

  const explore = (state: Value): boolean => {
    if (ops.every((op, i) => placed[i] || op.happened === 'maybe')) return true;
    const here = `${placed.map((p) => (p ? 1 : 0)).join('')} ${valueKey(state)}`;
    if (failed.has(here)) return false;
    for (let i = 0; i < ops.length; i++) {
      if (placed[i] || !mayGoNext(i)) continue;
      const after = apply(model, state, ops[i]);
      if (after === undefined) continue;
      placed[i] = true;
      const found = explore(after.state);
      placed[i] = false;
      if (found) return true;
    }
    failed.add(here);
    return false;
  };
  // Real time: an operation may go next unless some unplaced one returned before it was invoked.
  const mayGoNext = (i: number) => ops.every((other, j) => placed[j] || other.returnedAt > ops[i].invokedAt);
  return explore(null);
}

function pair(events: readonly Event[]): PlainOp[] {
  const open = new Map<number, { event: Event; at: number }>();
  const ops: PlainOp[] = [];
  const close = (invocation: { event: Event; at: number }, completion: Event | undefined, at: number) => {
    const type = completion?.type ?? 'info';
    if (type === 'fail') return;
    ops.push({
      f: invocation.event.f,
      input: invocation.event.value,
      output: type === 'ok' ? (completion as Event).value : null,
      happened: type === 'ok' ? 'certainly' : 'maybe',
      invokedAt: invocation.at,
      returnedAt: type === 'ok' ? at : Number.POSITIVE_INFINITY,
    });
  };
  events.forEach((event, at) => {
    if (typeof event.process !== 'number') return;
    if (event.type === 'invoke') open.set(event.process, { event, at });
    else {
      close(open.get(event.process) as { event: Event; at: number }, event, at);
      open.delete(event.process);
    }
  });
  for (const invocation of open.values()) close(invocation, undefined, Number.POSITIVE_INFINITY);
  return ops;
}

function apply(model: 'register' | 'cas-register', state: Value, op: PlainOp): { state: Value } | undefined {
  const same = (a: Value, b: Value) => valueKey(a) === valueKey(b);
  switch (op.f) {
    case 'write':
      return { state: op.input };
    case 'read':
      return op.happened === 'maybe' || same(op.output, state) ? { state } : undefined;
    case 'cas': {
      if (model !== 'cas-register') throw new Error('a register has no cas');
      const [from, to] = op.input as Value[];
      return same(from, state) ? { state: to } : undefined;
    }
    default:
      throw new Error(`unknown operation ${op.f}`);
  }
}
