import type { Event, Key } from '../event.ts';
import type { Value } from '../value.ts';

// Histories of a correct store: one copy of the data, every operation taking effect atomically at one
// moment between its invocation and its completion, so every history made here is linearizable.
// Property tests use it to show the detectors stay silent on correct histories (and that faults injected
// into one are found); benchmarks use it for histories of millions of operations. All randomness comes
// from `choose` (fast-check's choices in tests, a seeded generator in benchmarks): same choices, same bytes.
//
// Operations may fail (no effect) or end indeterminate (:info): such an op has either taken effect
// already or may still take effect at a later step, or never; its process then starts afresh under a new
// number, as Jepsen's do. Nemesis markers are sprinkled in; they change nothing.

export type SimulatedWorkload = 'register' | 'list-append' | 'set';

export interface SimulationOptions {
  readonly workload: SimulatedWorkload;
  /** Client operations to invoke. */
  readonly ops: number;
  readonly processes: number;
  /** Keys; 1 means the ops carry no key. */
  readonly keys?: number;
  /** Out of 100, per operation: reads (default 50), failures (5), indeterminate ends (5). */
  readonly readPercent?: number;
  readonly failPercent?: number;
  readonly infoPercent?: number;
  /** Writes (appends, adds) per key before the workload moves on to a fresh key; unbounded when absent. */
  readonly writesPerKey?: number;
}

/** choose(n): an integer in [0, n). */
export type Choose = (n: number) => number;

interface InFlight {
  readonly process: number;
  readonly f: string;
  readonly key?: Key;
  readonly input: Value;
  applied: boolean;
  output: Value;
}

interface Store {
  apply(key: Key | undefined, f: string, input: Value): Value;
}

export function simulateHistory(options: SimulationOptions, choose: Choose): Event[] {
  const events: Event[] = [];
  const readPercent = options.readPercent ?? 50;
  const failPercent = options.failPercent ?? 5;
  const infoPercent = options.infoPercent ?? 5;
  const store = storeFor(options.workload);
  const writer = options.workload === 'register' ? 'write' : options.workload === 'list-append' ? 'append' : 'add';
  const processes = Array.from({ length: options.processes }, (_, i) => i);
  const inFlight = new Map<number, InFlight>();
  const lateEffects: InFlight[] = [];
  const keyCount = options.keys ?? 1;
  const writesOnKey = new Map<number, number>();
  let keyBase = 0;
  let invoked = 0;
  let nextValue = 1;
  const keyOf = (slot: number): Key | undefined => (keyCount === 1 && options.writesPerKey === undefined ? undefined : keyBase + slot);
  const emit = (event: Event) => events.push(event);

  while (invoked < options.ops || inFlight.size > 0) {
    if (lateEffects.length > 0 && choose(10) === 0) {
      const late = lateEffects.splice(choose(lateEffects.length), 1)[0];
      store.apply(late.key, late.f, late.input);
    }
    if (choose(50) === 0) emit({ type: 'info', process: 'nemesis', f: choose(2) === 0 ? 'start-partition' : 'stop-partition', value: null });
    const slot = choose(processes.length);
    const process = processes[slot];
    const op = inFlight.get(process);
    if (!op) {
      if (invoked >= options.ops) continue;
      invoked++;
      const keySlot = choose(keyCount);
      const key = keyOf(keySlot);
      const reading = choose(100) < readPercent;
      const input: Value = reading ? null : nextValue++;
      if (!reading && options.writesPerKey !== undefined) {
        const written = (writesOnKey.get(keySlot) ?? 0) + 1;
        writesOnKey.set(keySlot, written);
        if (written >= options.writesPerKey) {
          writesOnKey.set(keySlot, 0);
          keyBase += keyCount;
        }
      }
      const started: InFlight = { process, f: reading ? 'read' : writer, ...(key !== undefined && { key }), input, applied: false, output: input };
      inFlight.set(process, started);
      emit({ type: 'invoke', process, f: started.f, value: input, ...(key !== undefined && { key }) });
      continue;
    }
    const ending = choose(100);
    if (!op.applied && ending < failPercent) {
      finish(op, 'fail', op.input);
      continue;
    }
    if (!op.applied && ending < failPercent + infoPercent) {
      if (op.f !== 'read') lateEffects.push(op);
      finish(op, 'info', op.input);
      processes[slot] = nextProcess(processes, options.processes);
      continue;
    }
    if (!op.applied) {
      op.output = store.apply(op.key, op.f, op.input);
      op.applied = true;
      continue;
    }
    if (ending < failPercent + infoPercent) {
      finish(op, 'info', op.input);
      processes[slot] = nextProcess(processes, options.processes);
      continue;
    }
    finish(op, 'ok', op.f === 'read' ? op.output : op.input);
  }
  return events;

  function finish(op: InFlight, type: 'ok' | 'fail' | 'info', value: Value): void {
    inFlight.delete(op.process);
    emit({ type, process: op.process, f: op.f, value, ...(op.key !== undefined && { key: op.key }) });
  }
}

/** A fresh process number, as Jepsen gives a client whose operation ended indeterminate. */
function nextProcess(processes: readonly number[], width: number): number {
  let highest = 0;
  for (const p of processes) highest = Math.max(highest, p);
  return highest + width;
}

function storeFor(workload: SimulatedWorkload): Store {
  switch (workload) {
    case 'register': {
      const values = new Map<Key | undefined, Value>();
      return { apply: (key, f, input) => (f === 'read' ? (values.get(key) ?? null) : (values.set(key, input), input)) };
    }
    case 'list-append': {
      const lists = new Map<Key | undefined, Value[]>();
      return {
        apply: (key, f, input) => {
          let list = lists.get(key);
          if (!list) lists.set(key, (list = []));
          if (f === 'read') return [...list];
          list.push(input);
          return input;
        },
      };
    }
    case 'set': {
      const sets = new Map<Key | undefined, Value[]>();
      return {
        apply: (key, f, input) => {
          let set = sets.get(key);
          if (!set) sets.set(key, (set = []));
          if (f === 'read') return [...set];
          set.push(input);
          return input;
        },
      };
    }
  }
}

/** A seeded choose for benchmarks (xorshift32): the same seed gives the same history. */
export function seededChoose(seed: number): Choose {
  let state = seed | 0 || 1;
  return (n) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
}
