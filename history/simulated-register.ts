import type { Event } from './event.ts';

// Realistic linearizable histories of any size, from a seed: concurrent clients run reads, writes and
// (optionally) compare-and-sets against registers that really are linearizable — each operation takes
// effect at one instant between its invocation and completion. Some operations crash (:info): those took
// effect or not, at random, and their process is replaced by a fresh one, as in Jepsen. For benchmarks
// and for tests that need big histories known to be valid.

export interface SimulationOptions {
  readonly operations: number;
  readonly processes: number;
  readonly keys: number;
  /** Share of operations that end :info (crash): 0 for none. */
  readonly infoRate: number;
  readonly cas: boolean;
  /** Distinct values written; 0 for a fresh value on every write (values never repeat). */
  readonly values: number;
  readonly seed: number;
}

interface SimOp {
  readonly process: number;
  readonly key: number;
  readonly f: 'read' | 'write' | 'cas';
  readonly input: number | null | [number, number];
  readonly invoke: number;
  readonly effect: number;
  readonly complete: number;
  readonly crashes: boolean;
}

export function simulateRegisterHistory(options: SimulationOptions): Event[] {
  const random = seeded(options.seed);
  const ops = schedule(options, random);
  const outcomes = applyInEffectOrder(ops, random);
  const events: { at: number; event: Event }[] = [];
  ops.forEach((op, i) => {
    const key = options.keys > 1 ? { key: op.key } : {};
    events.push({ at: op.invoke, event: { type: 'invoke', process: op.process, f: op.f, value: op.f === 'read' ? null : op.input, ...key, time: op.invoke } });
    const { type, value } = outcomes[i];
    events.push({ at: op.complete, event: { type, process: op.process, f: op.f, value, ...key, time: op.complete } });
  });
  events.sort((a, b) => a.at - b.at);
  return events.map(({ event }) => event);
}

/** When each operation is invoked, takes effect and completes, client by client. */
function schedule(options: SimulationOptions, random: () => number): SimOp[] {
  const ops: SimOp[] = [];
  const clock = Array.from({ length: options.processes }, () => random() * 100);
  const process = Array.from({ length: options.processes }, (_, i) => i);
  let written = 0;
  const lastWritten = new Map<number, number>();
  for (let n = 0; n < options.operations; n++) {
    // The client that is free first goes next, so clients overlap as in a real test.
    let slot = 0;
    for (let s = 1; s < clock.length; s++) if (clock[s] < clock[slot]) slot = s;
    const invoke = clock[slot];
    const latency = 1 + random() * 50 * (random() < 0.05 ? 10 : 1);
    const effect = invoke + random() * latency;
    const complete = invoke + latency;
    const crashes = random() < options.infoRate;
    const roll = random();
    const f = roll < 0.5 ? 'read' : options.cas && roll < 0.75 ? 'cas' : 'write';
    const key = Math.floor(random() * options.keys);
    const value = () => (options.values === 0 ? ++written : Math.floor(random() * options.values));
    // A cas expects the value last written to its key, as a client that just read it would.
    const input = f === 'read' ? null : f === 'write' ? value() : ([lastWritten.get(key) ?? 0, value()] as [number, number]);
    if (f !== 'read') lastWritten.set(key, f === 'write' ? (input as number) : (input as [number, number])[1]);
    ops.push({ process: process[slot], key, f, input, invoke, effect, complete, crashes });
    clock[slot] = complete + random() * 5;
    if (crashes) process[slot] += options.processes;
  }
  return ops;
}

/** Runs the operations against real registers at their effect times and reports what each saw. */
function applyInEffectOrder(ops: readonly SimOp[], random: () => number): { type: Event['type']; value: Event['value'] }[] {
  const registers = new Map<number, number | null>();
  const outcomes: { type: Event['type']; value: Event['value'] }[] = new Array(ops.length);
  const byEffect = ops.map((_, i) => i).sort((a, b) => ops[a].effect - ops[b].effect);
  for (const i of byEffect) {
    const op = ops[i];
    // A crashed operation took effect or not; either way the client never learns what happened.
    if (op.crashes) {
      if (random() < 0.5 && op.f !== 'read') apply(registers, op);
      outcomes[i] = { type: 'info', value: op.input };
      continue;
    }
    const current = registers.get(op.key) ?? null;
    if (op.f === 'read') outcomes[i] = { type: 'ok', value: current };
    else outcomes[i] = { type: apply(registers, op) ? 'ok' : 'fail', value: op.input };
  }
  return outcomes;
}

function apply(registers: Map<number, number | null>, op: SimOp): boolean {
  if (op.f === 'write') registers.set(op.key, op.input as number);
  else if (op.f === 'cas') {
    const [from, to] = op.input as [number, number];
    if ((registers.get(op.key) ?? null) !== from) return false;
    registers.set(op.key, to);
  }
  return true;
}

/** Mulberry32: small, fast, and the same numbers for the same seed everywhere. */
function seeded(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
