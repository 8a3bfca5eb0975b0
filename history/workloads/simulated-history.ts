import type { Event, Key } from '../event.ts';
import type { Value } from '../value.ts';
import type { Workload } from './workload.ts';

// Histories of a correct store: one copy of the data, every operation taking effect atomically at one
// moment between its invocation and its completion, so every history made here is linearizable.
// Property tests use it to show the checker proves such histories valid and the detectors stay silent on
// them (and that faults injected into one are found); benchmarks use it for histories of millions of
// operations, and the timeline for pages of any size. All randomness comes from `choose` (fast-check's
// choices or a seeded generator, seededChoose): same choices, same bytes.
//
// Each client invokes its next operation as soon as it has an answer. Operations may fail (no effect) or
// end indeterminate (:info, a crash): a crashed op took effect before the crash, or may still take effect
// at a later step, or never; its process then starts afresh under a new number, as Jepsen's do. Nemesis markers are sprinkled in; they change nothing. Optionally a cluster
// is shown behind the store (role annotations, failovers, the node and epoch of each acknowledgement):
// annotations only, the data stays one linearizable copy.

/** The registered workloads (workload.ts) this store simulates. */
export type SimulatedWorkload = Extract<Workload, 'register' | 'list-append' | 'set'>;

export interface SimulationOptions {
  readonly workload: SimulatedWorkload;
  /** Client operations to invoke. */
  readonly ops: number;
  /** Clients running at once. */
  readonly processes: number;
  /** Keys; 1 means the ops carry no key. */
  readonly keys?: number;
  /** Out of 100, per operation: reads (default 50), failures (5), indeterminate ends (5). */
  readonly readPercent?: number;
  readonly failPercent?: number;
  readonly infoPercent?: number;
  /**
   * Out of 100, operations that are slow (default 0): one moves on only at one of its client's turns in
   * ten, so it lasts some ten times as long and overlaps many others, as a stalled request does.
   */
  readonly slowPercent?: number;
  /** Writes (appends, adds) per key before the workload moves on to a fresh key; unbounded when absent. */
  readonly writesPerKey?: number;
  /**
   * Register only: half the writes are compare-and-sets [expected, new], expecting the value last
   * written to their key (0 before any), as a client that had just read it would; one that finds
   * another value fails and changes nothing.
   */
  readonly cas?: boolean;
  /**
   * Values written are drawn from 0 to values - 1, so they repeat (Jepsen's cas-register tests draw
   * from 5). Absent: every write a fresh value, which the list-append and set checks and the
   * anomaly detectors need.
   */
  readonly values?: number;
  /** A nemesis marker on one step in this many, on average (default 50); 0 for none. */
  readonly nemesisOneIn?: number;
  readonly cluster?: SimulatedCluster;
  /** Every event carries a time: nanoseconds on a recorder's clock, 1 to 2,000 after the previous event. */
  readonly timed?: boolean;
}

/** A leader and followers n1, n2, ... behind the store, annotated as a recorder would see them. */
interface SimulatedCluster {
  readonly nodes: number;
  /**
   * A failover before every this-many-th invocation: the leader is partitioned away, another node leads
   * in the next epoch, the partition heals.
   */
  readonly failoverEvery: number;
}

/** choose(n): an integer in [0, n). */
export type Choose = (n: number) => number;

interface InFlight {
  readonly process: number;
  readonly f: string;
  readonly key?: Key;
  readonly input: Value;
  readonly slow: boolean;
  applied: boolean;
  /** A cas that found another value: it took effect as a no-op and ends :fail. */
  refused: boolean;
  output: Value;
}

interface Store {
  /** Applies op, recording a read's output in it; false when a cas finds another value and changes nothing. */
  apply(op: InFlight): boolean;
}

export function simulateHistory(options: SimulationOptions, choose: Choose): Event[] {
  if (options.cas && options.workload !== 'register') throw new RangeError(`cas: the ${options.workload} workload has no compare-and-set`);
  const events: Event[] = [];
  const readPercent = options.readPercent ?? 50;
  const failPercent = options.failPercent ?? 5;
  const infoPercent = options.infoPercent ?? 5;
  const nemesisOneIn = options.nemesisOneIn ?? 50;
  const slowPercent = options.slowPercent ?? 0;
  const store = storeFor(options.workload);
  const writer = options.workload === 'register' ? 'write' : options.workload === 'list-append' ? 'append' : 'add';
  const processes = Array.from({ length: options.processes }, (_, i) => i);
  const inFlight = new Map<number, InFlight>();
  const lateEffects: InFlight[] = [];
  const keyCount = options.keys ?? 1;
  const writesOnKey = new Map<number, number>();
  const lastWritten = new Map<Key | undefined, Value>();
  let keyBase = 0;
  let invoked = 0;
  let nextValue = 1;
  let time = 0;
  const keyOf = (slot: number): Key | undefined => (keyCount === 1 && options.writesPerKey === undefined ? undefined : keyBase + slot);
  const emit = (event: Event) => {
    if (options.timed) time += 1 + choose(2000);
    events.push(options.timed ? { ...event, time } : event);
  };
  const cluster = options.cluster && new ClusterView(options.cluster, emit, choose);

  while (invoked < options.ops || inFlight.size > 0) {
    if (lateEffects.length > 0 && choose(10) === 0) store.apply(lateEffects.splice(choose(lateEffects.length), 1)[0]);
    if (nemesisOneIn > 0 && choose(nemesisOneIn) === 0)
      emit({ type: 'info', process: 'nemesis', f: choose(2) === 0 ? 'start-partition' : 'stop-partition', value: null });
    const slot = choose(processes.length);
    const op = inFlight.get(processes[slot]);
    // A client invokes its next operation as soon as it has its answer, as Jepsen's do.
    if (op && !advance(op, slot)) continue;
    if (invoked < options.ops) invoke(processes[slot]);
  }
  return events;

  /** Moves op on one step: it takes effect, or it ends (true). Its fate is drawn once, so the rates are per operation. */
  function advance(op: InFlight, slot: number): boolean {
    if (op.slow && choose(10) !== 0) return false;
    if (op.applied) {
      finish(op, op.refused ? 'fail' : 'ok');
      return true;
    }
    const fate = choose(100);
    if (fate < failPercent) {
      finish(op, 'fail');
      return true;
    }
    if (fate < failPercent + infoPercent) {
      // A crash: half the time the op took effect before it, a quarter of the time it takes effect at some
      // later step, else never; the client never learns which.
      if (op.f !== 'read') {
        const when = choose(4);
        if (when < 2) store.apply(op);
        else if (when === 2) lateEffects.push(op);
      }
      finish(op, 'info');
      processes[slot] = nextProcess(processes, options.processes);
      return true;
    }
    op.refused = !store.apply(op);
    op.applied = true;
    return false;
  }

  function invoke(process: number): void {
    if (cluster && invoked > 0 && invoked % cluster.failoverEvery === 0) cluster.failOver();
    invoked++;
    const keySlot = choose(keyCount);
    const key = keyOf(keySlot);
    const reading = choose(100) < readPercent;
    const f = reading ? 'read' : options.cas && choose(2) === 0 ? 'cas' : writer;
    const input = reading ? null : f === 'cas' ? [lastWritten.get(key) ?? 0, freshOrRepeated()] : freshOrRepeated();
    if (options.cas && !reading) lastWritten.set(key, f === 'cas' ? (input as Value[])[1] : input);
    if (!reading && options.writesPerKey !== undefined) {
      const written = (writesOnKey.get(keySlot) ?? 0) + 1;
      writesOnKey.set(keySlot, written);
      if (written >= options.writesPerKey) {
        writesOnKey.set(keySlot, 0);
        keyBase += keyCount;
      }
    }
    const slow = slowPercent > 0 && choose(100) < slowPercent;
    const started: InFlight = { process, f, ...(key !== undefined && { key }), input, slow, applied: false, refused: false, output: input };
    inFlight.set(process, started);
    emit({ type: 'invoke', process, f, value: input, ...(key !== undefined && { key }) });
  }

  function freshOrRepeated(): Value {
    return options.values === undefined ? nextValue++ : choose(options.values);
  }

  function finish(op: InFlight, type: 'ok' | 'fail' | 'info'): void {
    inFlight.delete(op.process);
    emit({
      type,
      process: op.process,
      f: op.f,
      value: type === 'ok' ? op.output : op.input,
      ...(op.key !== undefined && { key: op.key }),
      ...cluster?.annotate(type, op.refused),
    });
  }
}

/** What a recorder would see of the cluster: who leads in which epoch, and which node answered. */
class ClusterView {
  readonly failoverEvery: number;
  private readonly nodes: readonly string[];
  private epoch = 1;
  private leader = 0;

  constructor(
    { nodes, failoverEvery }: SimulatedCluster,
    private readonly emit: (event: Event) => void,
    private readonly choose: Choose,
  ) {
    this.failoverEvery = failoverEvery;
    this.nodes = Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
    for (const [i, node] of this.nodes.entries()) this.role(node, i === this.leader ? 'leader' : 'follower');
  }

  /**
   * What a completion says besides its result: the node and epoch that acknowledged an ok (mostly the
   * leader; one in five through whichever node the client reached), or why an op failed or crashed (a
   * cas that found another value needs no reason).
   */
  annotate(type: 'ok' | 'fail' | 'info', refused: boolean): Pick<Event, 'node' | 'epoch' | 'error'> {
    if (type === 'ok') {
      const node = this.choose(5) === 0 ? this.nodes[this.choose(this.nodes.length)] : this.nodes[this.leader];
      return { node, epoch: this.epoch };
    }
    if (type === 'info') return { error: 'timeout' };
    return refused ? {} : { error: 'not leader' };
  }

  /** Jepsen's nemesis logs each of its operations twice: as invoked, then with what it did. */
  failOver(): void {
    const next = (this.leader + 1 + this.choose(this.nodes.length - 1)) % this.nodes.length;
    const nemesis = (f: string, value: Value) => this.emit({ type: 'info', process: 'nemesis', f, value });
    nemesis('start-partition', null);
    nemesis('start-partition', `isolated ${this.nodes[this.leader]}`);
    this.epoch++;
    this.role(this.nodes[next], 'leader');
    this.role(this.nodes[this.leader], 'follower');
    this.leader = next;
    nemesis('stop-partition', null);
    nemesis('stop-partition', 'healed');
  }

  private role(node: string, value: 'leader' | 'follower'): void {
    this.emit({ type: 'info', process: 'cluster', f: 'role', node, value, epoch: this.epoch });
  }
}

/** A fresh process number, as Jepsen gives a client whose operation ended indeterminate. */
function nextProcess(processes: readonly number[], width: number): number {
  let highest = 0;
  for (const p of processes) highest = Math.max(highest, p);
  return highest + width;
}

function storeFor(workload: SimulatedWorkload): Store {
  if (workload === 'register') {
    const values = new Map<Key | undefined, Value>();
    return {
      apply: (op) => {
        const current = values.get(op.key) ?? null;
        if (op.f === 'read') op.output = current;
        else if (op.f === 'write') values.set(op.key, op.input);
        else {
          const [expected, next] = op.input as [number, number];
          if (current !== expected) return false;
          values.set(op.key, next);
        }
        return true;
      },
    };
  }
  // A list per key for appends; a set reads back as its elements in the order they were added.
  const lists = new Map<Key | undefined, Value[]>();
  return {
    apply: (op) => {
      let list = lists.get(op.key);
      if (!list) {
        list = [];
        lists.set(op.key, list);
      }
      if (op.f === 'read') op.output = [...list];
      else list.push(op.input);
      return true;
    },
  };
}

/** A seeded choose (xorshift32): the same seed gives the same history. */
export function seededChoose(seed: number): Choose {
  let state = seed | 0 || 1;
  return (n) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
}
