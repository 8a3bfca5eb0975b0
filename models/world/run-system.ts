import type { Event } from '../../history/event.ts';
import { ROLE_ANNOTATION } from '../../history/event.ts';
import type { Value } from '../../history/value.ts';
import type { Action, OpF, Schedule } from './action.ts';
import { choose, OP_FUNCTIONS } from './action.ts';
import type { AnySystem, Body, Message, Monitor, NodeContext, NodeView, RoleClaim } from './system.ts';
import { clientId, errorName, isDefiniteError, nodeIds } from './system.ts';
import { SystemError } from './system-error.ts';
import type { MessageNote, NodeSnapshot, TraceStep } from './trace.ts';

// The world a system runs in, and the one runner every system runs on, the built-in presets
// (leader-follower/) as much as a user's: a schedule of actions (world/action.ts) applied to a system's
// nodes. The world owns everything a node does not:
// the messages in flight (delivered, dropped, duplicated in any order the schedule picks), partitions
// and one-way cuts, crashes (a node keeps only what it declares durable) and restarts, clock ticks,
// pauses (a node keeps its state, handles nothing, and what reaches it waits until it resumes), clients
// (one operation at a time each, unique values, timeouts), the history, role annotations, and the
// finale: resume, heal, restart, settle, read every key. Same system and schedule, same bytes.
//
// Clients reach every up node at once, both ways: the faults of interest are between nodes. A node's
// answer to a client completes the client's operation in the same step.

export interface SystemFinaleOptions {
  /**
   * Rounds (every up node ticks once, then everything in flight is delivered) before giving up on
   * settling: by default 30 more than the system's settling time (its patience unless it says), since a
   * healed cluster may wait that many ticks before it can elect. With a settled hook, each final read
   * waits for the cluster to settle and for one heartbeat round (a tick) of its one leader, and the
   * verdict is taken after a last settling.
   */
  readonly rounds?: number;
}

export interface SystemRunOptions {
  readonly finale?: boolean | SystemFinaleOptions;
  /** Record a TraceStep per step. Default: on. */
  readonly trace?: boolean;
  /** Check the system's invariants (when it has any) after every step or only at the end. Default: every step. */
  readonly invariants?: 'every-step' | 'end' | 'off';
}

/** One line of the system's invariants (kind `invariant`) or a monitor's finding, at the logical time it was first seen. */
export interface SystemViolation {
  readonly kind: string;
  readonly detail: string;
  readonly nodes: readonly string[];
  readonly time: number;
}

export interface SystemRun {
  /** The history: role annotations at time 0 (when the system has roles), then every step's events. */
  readonly events: Event[];
  readonly trace: TraceStep[];
  /** Null: the system declares no invariants and no monitor. */
  readonly violations: SystemViolation[] | null;
  /** Whether the system says it settled: after the finale's reads and a last settling, else at the end; null: it has no settled hook. */
  readonly settled: boolean | null;
  /** The actions the finale took. */
  readonly finale: Action[];
  readonly nodes: readonly NodeView<unknown>[];
}

const MAX_NODES = 7;
const DEFAULT_ROUNDS = 30;
const READ_ATTEMPTS = 4;
/** How many recent values per key a cas may pick its expected value from (as the built-in model). */
const RECENT = 4;

interface Pending {
  readonly msgId: number;
  readonly f: OpF;
  readonly key: number;
  readonly value: Value;
  /** The node it was last sent to. */
  readonly node: number;
  readonly body: Body;
  /** Sent more than once: an error from one copy leaves the others in play. */
  readonly retried: boolean;
}

interface ClientSlot {
  target: number;
  pending: Pending | null;
  seq: number;
}

interface Slot {
  up: boolean;
  state: unknown;
  durable: unknown;
  claim: RoleClaim | null;
}

/** A node's context as the world keeps it: its clock and draws are set anew for each handler call. */
interface LiveContext extends NodeContext {
  now: number;
  draws: number;
}

interface Envelope {
  readonly id: number;
  readonly from: number;
  readonly to: number;
  readonly message: Message;
}

export interface SystemShape {
  /** The largest cluster the system runs at (schedules draw node numbers below it). */
  readonly nodes: number;
  /** Every size it runs at, its declared `nodes` first. */
  readonly sizes: readonly number[];
  readonly clients: number;
  readonly keys: number;
  readonly patience: number;
  /** Ticks a healed cluster may take before it can elect (System.settling, else its patience). */
  readonly settling: number;
  readonly drift: number;
}

/** The cluster's dimensions; throws a SystemError when the system lacks a handler or declares a size out of range. */
export function systemShape(system: AnySystem): SystemShape {
  for (const hook of ['init', 'receive', 'tick', 'durable', 'restart'] as const) {
    if (typeof system[hook] !== 'function')
      throw new SystemError(`system ${system.name}: ${hook} must be a function, got ${typeof system[hook]}`, 0);
  }
  const sizes = [system.nodes, ...(system.sizes ?? []).filter((n) => n !== system.nodes)];
  const shape = {
    nodes: Math.max(...sizes),
    sizes,
    clients: system.clients ?? 3,
    keys: system.keys ?? 2,
    patience: system.patience ?? 5,
    settling: system.settling ?? system.patience ?? 5,
    drift: system.drift ?? 0,
  };
  const ranges: [string, number, number, number][] = [
    ['nodes', system.nodes, 1, MAX_NODES],
    ['clients', shape.clients, 1, 64],
    ['keys', shape.keys, 1, 64],
    ['patience', shape.patience, 1, 1000],
    ['settling', shape.settling, 1, 10_000],
  ];
  for (const size of sizes) ranges.push(['sizes', size, 1, MAX_NODES]);
  for (const [name, value, min, max] of ranges) {
    if (!Number.isInteger(value) || value < min || value > max)
      throw new SystemError(`system ${system.name}: ${name} must be an integer in ${min}..${max}, got ${value}`, 0);
  }
  if (!(shape.drift >= 0 && shape.drift < 0.5 && Number.isInteger(shape.drift * 1024)))
    throw new SystemError(`system ${system.name}: drift must be a multiple of 1/1024 in 0..1/2, got ${shape.drift}`, 0);
  return shape;
}

export function runSystem(system: AnySystem, schedule: Schedule, options: SystemRunOptions = {}): SystemRun {
  const shape = systemShape(system);
  const world = new World(system, options, { ...shape, nodes: clusterSize(shape, schedule) });
  for (const action of schedule) world.apply(action);
  if (options.finale) world.finale(options.finale === true ? {} : options.finale);
  return world.result();
}

/** The cluster a schedule's first action chooses, when it is a `cluster` action naming a size the system runs at; else its own. */
function clusterSize(shape: SystemShape, schedule: Schedule): number {
  const first = schedule[0];
  return first?.kind === 'cluster' && shape.sizes.includes(first.nodes) ? first.nodes : shape.sizes[0]!;
}

/** The whole world of one run. Mutable inside, as a run is one sequence of steps; runSystem is pure outside. */
class World {
  private readonly system: AnySystem;
  private readonly shape: SystemShape;
  private readonly ids: readonly string[];
  private readonly tracing: boolean;
  private readonly checking: 'every-step' | 'end' | 'off';
  private readonly monitor: Monitor<unknown> | null;
  private readonly slots: Slot[];
  private readonly clients: ClientSlot[];
  private readonly recent: Value[][];
  private readonly cuts: number[];
  /** Each node's clock, and the rate it runs at (1 ± the system's drift): exact, as the drift is a multiple of 1/1024. */
  private readonly clocks: number[];
  private readonly rates: number[];
  private inFlight: Envelope[] = [];
  private time = 0;
  private nextValue = 1;
  private nextEnvelope = 1;
  private readonly events: Event[] = [];
  private readonly trace: TraceStep[] = [];
  private readonly violations: SystemViolation[] = [];
  private readonly seen = new Set<string>();
  private readonly finaleActions: Action[] = [];
  /** The paused nodes, each with what reached it since it paused, in order. */
  private readonly held = new Map<number, Message[]>();
  // What the current step did.
  private faults: Event[] = [];
  private outcomes: Event[] = [];
  private sent: Envelope[] = [];
  private delivered: Envelope[] = [];
  private dropped: Envelope[] = [];
  private noop: string | null = null;
  private settledAt: boolean | null = null;
  private touched = new Set<number>();
  /** What the handler running now has sent, in order. */
  private outbox: { readonly from: number; readonly message: Message }[] = [];
  /** Each node's context, set to the current step before each of its handlers runs. */
  private readonly contexts: LiveContext[] = [];

  /** `shape`: the system's, at the size this run's cluster has. */
  constructor(system: AnySystem, options: SystemRunOptions, shape: SystemShape) {
    this.system = system;
    this.shape = shape;
    this.ids = nodeIds(this.shape.nodes);
    this.tracing = options.trace !== false;
    this.checking = system.invariants ? (options.invariants ?? 'every-step') : 'off';
    this.cuts = new Array<number>(this.shape.nodes).fill(0);
    this.clocks = new Array<number>(this.shape.nodes).fill(0);
    this.rates = new Array<number>(this.shape.nodes).fill(1);
    this.clients = Array.from({ length: this.shape.clients }, () => ({ target: 0, pending: null, seq: 0 }));
    this.recent = Array.from({ length: this.shape.keys }, () => []);
    this.slots = this.ids.map((_, i) => {
      const slot: Slot = { up: true, state: undefined, durable: undefined, claim: null };
      slot.state = this.call(i, 'init', null, (ctx) => system.init(ctx));
      return slot;
    });
    this.flushOutbox();
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i]!;
      slot.claim = this.claimOf(i);
      if (slot.claim) this.events.push(this.roleEvent(i, slot.claim));
    }
    const watch = system.monitor;
    this.monitor = watch && options.invariants !== 'off' ? this.call(0, 'monitor', null, () => watch.call(system, this.views())) : null;
  }

  apply(action: Action): void {
    this.time++;
    for (let i = 0; i < this.clocks.length; i++) this.clocks[i]! += this.rates[i]!;
    this.faults = [];
    this.outcomes = [];
    this.sent = [];
    this.delivered = [];
    this.dropped = [];
    this.noop = null;
    this.touched.clear();
    const first = this.events.length;
    this.dispatch(action);
    for (const e of this.faults) this.events.push(e);
    this.annotateRoles();
    for (const e of this.outcomes) this.events.push(e);
    if (this.tracing) this.trace.push(this.traceStep(action));
    if (this.checking === 'every-step') this.checkInvariants();
    if (this.monitor) this.watch(action, first);
  }

  finale({ rounds = DEFAULT_ROUNDS + this.shape.settling }: SystemFinaleOptions): void {
    const act = (action: Action) => {
      this.finaleActions.push(action);
      this.apply(action);
    };
    const drain = () => {
      // Replies beget requests; a flawed design may keep nodes talking for ever.
      const cap = 64 * this.shape.nodes;
      for (let n = 0; n < cap && this.inFlight.length > 0; n++) act({ kind: 'deliver', pick: 0 });
    };
    const round = () => {
      for (let i = 0; i < this.slots.length; i++) if (this.slots[i]!.up) act({ kind: 'tick', node: i });
      drain();
    };
    // A cluster that did not settle in the first `rounds` (a flawed design's two leaders) is not waited
    // for again: each final read would spend as long again for nothing.
    let settles = true;
    const settle = () => {
      if (!settles) return;
      for (let r = 0; r < rounds && !this.isSettled(); r++) round();
      settles = this.isSettled();
    };
    /**
     * With a settled hook, a final read waits for a settled cluster and then for one heartbeat round of
     * its leader: a read under a lease or a read index is answered at once, not after a lease ran out
     * during the settling.
     */
    const readyToRead = () => {
      if (!this.system.settled) return;
      settle();
      const leader = this.soleLeader();
      if (leader < 0 || !this.isSettled()) return;
      act({ kind: 'tick', node: leader });
      drain();
    };
    // A paused node is resumed first: what waited for it is handled before the cluster heals.
    for (const node of [...this.held.keys()].sort((a, b) => a - b)) act({ kind: 'resume', node });
    if (this.cuts.some((c) => c !== 0)) act({ kind: 'heal' });
    for (let i = 0; i < this.slots.length; i++) if (!this.slots[i]!.up) act({ kind: 'restart', node: i });
    if (this.system.settled) {
      settle();
    } else {
      // Without a settled hook: until two rounds in a row leave nothing in flight and change no role.
      let quiet = 0;
      for (let r = 0; r < rounds && quiet < 2; r++) {
        const before = this.events.length;
        round();
        const changed = this.events.slice(before).some((e) => e.f === ROLE_ANNOTATION);
        quiet = !changed && this.inFlight.length === 0 ? quiet + 1 : 0;
      }
    }
    for (let c = 0; c < this.clients.length; c++) if (this.clients[c]!.pending !== null) act({ kind: 'timeout', client: c });
    for (let key = 0; key < this.shape.keys; key++) {
      const client = key % this.shape.clients;
      let answered = false;
      for (let attempt = 0; attempt < READ_ATTEMPTS && !answered; attempt++) {
        if (attempt > 0) round();
        readyToRead();
        const before = this.events.length;
        act({ kind: 'invoke', client, f: 'read', key });
        for (let r = 0; r < rounds && this.clients[client]!.pending !== null; r++) {
          drain();
          if (this.clients[client]!.pending !== null) round();
        }
        if (this.clients[client]!.pending !== null) act({ kind: 'timeout', client });
        answered = this.events.slice(before).some((e) => e.process === client && e.type === 'ok');
      }
    }
    // Judged after the reads have settled too: a design whose reads go through its log is busy again after them.
    if (this.system.settled) {
      settle();
      this.settledAt = this.isSettled();
    }
  }

  result(): SystemRun {
    if (this.checking === 'end') this.checkInvariants();
    for (let c = 0; c < this.clients.length; c++) {
      const op = this.clients[c]!.pending;
      if (op === null) continue;
      this.events.push({
        type: 'info',
        process: c,
        f: op.f,
        key: op.key,
        value: op.value,
        time: this.time,
        node: this.ids[op.node]!,
        error: 'pending at end',
      });
    }
    return {
      events: this.events,
      trace: this.trace,
      violations: this.system.invariants || this.monitor ? this.violations : null,
      settled: this.system.settled ? (this.settledAt ?? this.isSettled()) : null,
      finale: this.finaleActions,
      nodes: this.views(),
    };
  }

  private dispatch(action: Action): void {
    const { nodes, clients, keys } = this.shape;
    switch (action.kind) {
      case 'invoke':
        this.invoke(
          choose(action.client, clients),
          action.f,
          choose(action.key, keys),
          action.node === undefined ? null : choose(action.node, nodes),
          choose(action.pick, 1 << 30),
        );
        return;
      case 'timeout':
        this.timeout(choose(action.client, clients));
        return;
      case 'retry':
        this.retry(choose(action.client, clients));
        return;
      case 'deliver':
      case 'drop':
      case 'duplicate': {
        const count = this.inFlight.length;
        if (count === 0) {
          this.skip('no message in flight');
          return;
        }
        const index = choose(action.pick, count);
        const envelope = this.inFlight[index]!;
        if (action.kind === 'duplicate') {
          const copy = { ...envelope, id: this.nextEnvelope++ };
          this.sent.push(copy);
          this.inFlight = [...this.inFlight, copy];
          return;
        }
        this.inFlight = this.inFlight.filter((_, i) => i !== index);
        if (action.kind === 'drop' || !this.linkOpen(envelope.from, envelope.to) || !this.slots[envelope.to]!.up) {
          this.dropped.push(envelope);
          return;
        }
        this.delivered.push(envelope);
        if (this.hold(envelope.to, envelope.message)) return;
        this.handle(envelope.to, 'receive', envelope.message, (state, ctx) => this.system.receive(state, envelope.message, ctx));
        return;
      }
      case 'tick': {
        const node = choose(action.node, nodes);
        if (!this.slots[node]!.up) {
          this.skip(`${this.ids[node]} is down`);
          return;
        }
        if (this.held.has(node)) {
          this.skip(`${this.ids[node]} is paused`);
          return;
        }
        this.handle(node, 'tick', null, (state, ctx) => this.system.tick(state, ctx));
        return;
      }
      case 'crash':
        this.crash(choose(action.node, nodes));
        return;
      case 'restart':
        this.restart(choose(action.node, nodes));
        return;
      case 'pause':
        this.pause(choose(action.node, nodes));
        return;
      case 'resume':
        this.resume(choose(action.node, nodes));
        return;
      case 'partition':
        this.partition(Array.isArray(action.groups) ? action.groups : []);
        return;
      case 'cut': {
        const from = choose(action.from, nodes);
        const to = choose(action.to, nodes);
        if (from === to) {
          this.skip('a node cannot be cut from itself');
          return;
        }
        if (!this.linkOpen(from, to)) {
          this.skip('that link is already cut');
          return;
        }
        this.fault('cut', { from: this.ids[from]!, to: this.ids[to]! });
        this.cuts[from]! |= 1 << to;
        return;
      }
      case 'heal':
        if (!this.cuts.some((c) => c !== 0)) {
          this.skip('nothing to heal');
          return;
        }
        this.fault('heal', null);
        this.cuts.fill(0);
        return;
      case 'cluster':
        // The run's size was chosen from it already (clusterSize): here it is only a no-op when out of place.
        if (this.time !== 1 || this.shape.nodes !== action.nodes)
          this.skip(`a cluster is chosen by a schedule's first action, of the sizes the system runs at (${this.shape.sizes.join(', ')})`);
        return;
      case 'clock':
        this.skew(choose(action.node, nodes), choose(action.rate + 1, 3) - 1);
        return;
      case 'promote':
      case 'demote': {
        const node = choose(action.node, nodes);
        const hook = this.system[action.kind];
        if (!hook) {
          this.skip(`the system has no ${action.kind} hook`);
          return;
        }
        if (!this.slots[node]!.up) {
          this.skip(`${this.ids[node]} is down`);
          return;
        }
        if (this.held.has(node)) {
          this.skip(`${this.ids[node]} is paused`);
          return;
        }
        this.fault(action.kind, this.ids[node]!, this.ids[node]);
        this.handle(node, action.kind, null, (state, ctx) => hook.call(this.system, state, ctx));
        return;
      }
      default:
        this.skip(`no action ${String((action as { kind?: unknown }).kind)}`);
        return;
    }
  }

  private invoke(client: number, f: OpF, key: number, chosen: number | null, pick: number): void {
    const c = this.clients[client]!;
    if (c.pending !== null) {
      this.skip(`client ${client} is busy`);
      return;
    }
    if (!OP_FUNCTIONS.includes(f)) {
      this.skip(`no operation ${String(f)}`);
      return;
    }
    const node = chosen ?? c.target;
    let value: Value = null;
    let body: Body;
    const msgId = ++c.seq;
    if (f === 'read') {
      body = { type: 'read', msg_id: msgId, key };
    } else {
      const written = this.nextValue++;
      const recent = this.recent[key]!;
      const expected = recent.length === 0 ? null : recent[pick % recent.length]!;
      value = f === 'cas' ? [expected, written] : written;
      body =
        f === 'cas' ? { type: 'cas', msg_id: msgId, key, from: expected, to: written } : { type: f, msg_id: msgId, key, value: written };
      this.recent[key] = [written, ...recent.slice(0, RECENT - 1)];
    }
    this.outcomes.push({ type: 'invoke', process: client, f, key, value, time: this.time, node: this.ids[node]! });
    c.pending = { msgId, f, key, value, node, body, retried: false };
    if (!this.slots[node]!.up) {
      this.complete(client, 'fail', undefined, undefined, 'unavailable', (node + 1) % this.shape.nodes);
      return;
    }
    const message: Message = { src: clientId(client), dest: this.ids[node]!, body };
    if (this.hold(node, message)) return;
    this.handle(node, 'receive', message, (state, ctx) => this.system.receive(state, message, ctx));
  }

  private timeout(client: number): void {
    const op = this.clients[client]!.pending;
    if (op === null) {
      this.skip(`client ${client} waits for nothing`);
      return;
    }
    this.complete(client, op.f === 'read' ? 'fail' : 'info', undefined, undefined, 'timeout', (op.node + 1) % this.shape.nodes);
  }

  private retry(client: number): void {
    const c = this.clients[client]!;
    const op = c.pending;
    if (op === null) {
      this.skip(`client ${client} waits for nothing`);
      return;
    }
    const node = (op.node + 1) % this.shape.nodes;
    if (!this.slots[node]!.up) {
      this.skip(`${this.ids[node]} is down`);
      return;
    }
    c.pending = { ...op, node, retried: true };
    const message: Message = { src: clientId(client), dest: this.ids[node]!, body: op.body };
    if (this.hold(node, message)) return;
    this.handle(node, 'receive', message, (state, ctx) => this.system.receive(state, message, ctx));
  }

  private crash(node: number): void {
    const slot = this.slots[node]!;
    if (!slot.up) {
      this.skip(`${this.ids[node]} is already down`);
      return;
    }
    this.fault('crash', this.ids[node]!, this.ids[node]);
    // A paused process is killed as it stands; what waited for it is lost with it.
    this.held.delete(node);
    this.abandonClientsOf(node, 'crashed');
    slot.durable = this.call(node, 'durable', null, () => this.system.durable(slot.state));
    slot.up = false;
    this.touched.add(node);
  }

  private restart(node: number): void {
    const slot = this.slots[node]!;
    if (slot.up) {
      this.skip(`${this.ids[node]} is already up`);
      return;
    }
    this.fault('restart', this.ids[node]!, this.ids[node]);
    slot.up = true;
    slot.state = this.call(node, 'restart', null, (ctx) => this.system.restart(slot.durable, ctx));
    this.touched.add(node);
    this.flushOutbox();
  }

  // ---- Pauses: unlike a crash nothing is lost; the node just stops, and time goes on without it ------

  private pause(node: number): void {
    const slot = this.slots[node]!;
    if (!slot.up) {
      this.skip(`${this.ids[node]} is down`);
      return;
    }
    if (this.held.has(node)) {
      this.skip(`${this.ids[node]} is already paused`);
      return;
    }
    this.fault('pause', this.ids[node]!, this.ids[node]);
    this.held.set(node, []);
    const hook = this.system.pause;
    if (hook) this.call(node, 'pause', null, () => hook.call(this.system, slot.state));
  }

  /** Resumes node `node`: it handles what reached it while paused, in order, in this step. */
  private resume(node: number): void {
    const waiting = this.held.get(node);
    if (waiting === undefined) {
      this.skip(`${this.ids[node]} is not paused`);
      return;
    }
    this.fault('resume', this.ids[node]!, this.ids[node]);
    this.held.delete(node);
    const slot = this.slots[node]!;
    const hook = this.system.resume;
    if (hook) this.call(node, 'resume', null, () => hook.call(this.system, slot.state));
    this.touched.add(node);
    for (const message of waiting) this.handle(node, 'receive', message, (state, ctx) => this.system.receive(state, message, ctx));
  }

  /** Keeps `message` for node `node` if it is paused (true), to be handled when it resumes. */
  private hold(node: number, message: Message): boolean {
    const waiting = this.held.get(node);
    if (waiting === undefined) return false;
    waiting.push(message);
    return true;
  }

  /** Node `node`'s clock runs at 1 + direction x drift from the next step on. */
  private skew(node: number, direction: number): void {
    const { drift } = this.shape;
    if (drift === 0) {
      this.skip('the system declares no clock drift');
      return;
    }
    const rate = 1 + direction * drift;
    if (this.rates[node] === rate) {
      this.skip(`${this.ids[node]}'s clock already runs at ${rate}`);
      return;
    }
    this.rates[node] = rate;
    this.fault('clock', [this.ids[node]!, rate], this.ids[node]);
  }

  private partition(groups: readonly number[]): void {
    const n = this.shape.nodes;
    const groupOf = (i: number) => Math.trunc(Number(groups[i]) || 0);
    const sides = new Map<number, string[]>();
    for (let i = 0; i < n; i++) {
      this.cuts[i] = 0;
      for (let j = 0; j < n; j++) if (groupOf(i) !== groupOf(j)) this.cuts[i]! |= 1 << j;
      const side = sides.get(groupOf(i)) ?? [];
      side.push(this.ids[i]!);
      sides.set(groupOf(i), side);
    }
    this.fault('partition', [...sides.values()]);
  }

  private abandonClientsOf(node: number, reason: string): void {
    for (let c = 0; c < this.clients.length; c++) {
      const op = this.clients[c]!.pending;
      if (op === null || op.node !== node) continue;
      this.complete(c, op.f === 'read' ? 'fail' : 'info', undefined, undefined, reason, (this.clients[c]!.target + 1) % this.shape.nodes);
    }
  }

  private complete(
    client: number,
    type: 'ok' | 'fail' | 'info',
    value: Value | undefined,
    epoch: number | undefined,
    error: string | undefined,
    retarget: number | undefined,
    by?: number,
  ): void {
    const c = this.clients[client]!;
    const op = c.pending;
    if (op === null) return;
    this.outcomes.push({
      type,
      process: client,
      f: op.f,
      key: op.key,
      value: value === undefined ? op.value : value,
      time: this.time,
      node: this.ids[by ?? op.node]!,
      ...(epoch !== undefined && { epoch }),
      ...(error !== undefined && { error }),
    });
    c.pending = null;
    if (retarget !== undefined) c.target = retarget;
  }

  // ---- Calling the system's handlers --------------------------------------------------------------

  /** Runs a handler of node `node` on its state, keeps the state it returns, then sends what it sent. */
  private handle(node: number, hook: string, message: Message | null, run: (state: unknown, ctx: NodeContext) => unknown): void {
    const slot = this.slots[node]!;
    const returned = this.call(node, hook, message, (ctx) => run(slot.state, ctx));
    if (returned !== undefined) slot.state = returned;
    this.touched.add(node);
    this.flushOutbox();
  }

  /** Calls into the system for node `node`; whatever it throws becomes a SystemError naming the node, step and message. */
  private call<T>(node: number, hook: string, message: Message | null, run: (ctx: NodeContext) => T): T {
    try {
      return run(this.context(node));
    } catch (error) {
      if (error instanceof SystemError) throw error;
      const what = message ? ` handling ${JSON.stringify(message)}` : '';
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new SystemError(
        `system ${this.system.name}: ${this.ids[node]}'s ${hook}${what} threw at step ${this.time}: ${reason}`,
        this.time,
        this.ids[node],
      );
    }
  }

  /**
   * Node `node`'s context for the handler about to run: made once per node and set to this step (its
   * clock, a fresh count of random draws), since a handler runs at every step and a context made anew
   * each time costs its closures every time.
   */
  private context(node: number): NodeContext {
    const live = this.contexts[node] ?? this.makeContext(node);
    live.now = this.clocks[node]!;
    live.draws = 0;
    return live;
  }

  private makeContext(node: number): LiveContext {
    const id = this.ids[node]!;
    const post = (message: Message) => {
      if (typeof message.dest !== 'string')
        throw new SystemError(`system ${this.system.name}: ${id} sent a message with no dest at step ${this.time}`, this.time, id);
      this.outbox.push({ from: node, message });
    };
    const send = (dest: string, body: Body) => post({ src: id, dest, body });
    const live: LiveContext = {
      id,
      nodeIds: this.ids,
      now: 0,
      draws: 0,
      send,
      forward: (message) => post({ src: typeof message.src === 'string' ? message.src : id, dest: message.dest, body: message.body }),
      reply: (request, body) => send(request.src, request.body.msg_id === undefined ? body : { ...body, in_reply_to: request.body.msg_id }),
      random: () => seeded(this.time, node, live.draws++),
    };
    this.contexts[node] = live;
    return live;
  }

  /** Sends everything the last handler sent: to a node over the network, to a client at once. */
  private flushOutbox(): void {
    const out = this.outbox;
    if (out.length === 0) return;
    this.outbox = [];
    for (const { from, message } of out) {
      const body = message.body as Body | null;
      if (typeof body !== 'object' || body === null || typeof body.type !== 'string') {
        throw new SystemError(
          `system ${this.system.name}: ${this.ids[from]} sent a malformed message at step ${this.time}: ${safeJson(message)} (a body needs a string "type")`,
          this.time,
          this.ids[from],
        );
      }
      const to = this.ids.indexOf(message.dest);
      if (to >= 0) {
        const envelope: Envelope = { id: this.nextEnvelope++, from, to, message };
        this.sent.push(envelope);
        if (this.linkOpen(from, to)) this.inFlight.push(envelope);
        else this.dropped.push(envelope);
        continue;
      }
      const client = /^c(\d+)$/.exec(message.dest);
      const index = client ? Number(client[1]) - 1 : -1;
      if (index < 0 || index >= this.clients.length) {
        throw new SystemError(
          `system ${this.system.name}: ${this.ids[from]} sent to "${message.dest}", which does not exist (nodes ${this.ids.join(', ')}; clients c1..c${this.clients.length}) at step ${this.time}`,
          this.time,
          this.ids[from],
        );
      }
      this.answer(index, from, message);
    }
  }

  /**
   * A node's reply to client `client`: completes its operation if it is the answer it waits for, from
   * the node asked or from one the request was forwarded to (the history names the node that answered).
   */
  private answer(client: number, from: number, message: Message): void {
    const op = this.clients[client]!.pending;
    const body = message.body;
    if (op === null || body.in_reply_to !== op.msgId) return;
    const malformed = (expected: string) => {
      throw new SystemError(
        `system ${this.system.name}: ${this.ids[from]} answered ${op.f} of key ${op.key} with ${safeJson(body)} at step ${this.time}; expected ${expected}`,
        this.time,
        this.ids[from],
      );
    };
    const epoch = this.slots[from]!.up ? this.claimOf(from)?.epoch : undefined;
    if (body.type === 'error') {
      const code = body.code;
      if (typeof code !== 'number') {
        malformed('an error with a numeric "code"');
        return;
      }
      if (op.retried) return;
      const hinted = typeof body.leader === 'string' ? this.ids.indexOf(body.leader) : -1;
      const retarget = hinted >= 0 ? hinted : (op.node + 1) % this.shape.nodes;
      // A read that found no key read nil: a definite answer.
      if (code === 20 && op.f === 'read') {
        this.complete(client, 'ok', null, epoch, undefined, undefined, from);
        return;
      }
      const text = typeof body.text === 'string' && body.text !== '' ? body.text : errorName(code);
      const type = op.f === 'read' || isDefiniteError(code) ? 'fail' : 'info';
      this.complete(client, type, undefined, undefined, text, retarget, from);
      return;
    }
    if (body.type !== `${op.f}_ok`) {
      malformed(`${op.f}_ok or error`);
      return;
    }
    if (op.f === 'read') {
      const value = body.value === undefined ? null : (body.value as Value);
      this.complete(client, 'ok', value, epoch, undefined, undefined, from);
      return;
    }
    this.complete(client, 'ok', undefined, epoch, undefined, undefined, from);
  }

  // ---- Observing -------------------------------------------------------------------------------

  private claimOf(node: number): RoleClaim | null {
    const role = this.system.role;
    if (!role) return null;
    const slot = this.slots[node]!;
    return this.call(node, 'role', null, () => role.call(this.system, slot.state));
  }

  private annotateRoles(): void {
    if (!this.system.role) return;
    for (const node of this.touched) {
      const slot = this.slots[node]!;
      const claim = slot.up ? this.claimOf(node) : null;
      const was = slot.claim;
      const same = claim === null ? was === null : was !== null && was.role === claim.role && was.epoch === claim.epoch;
      slot.claim = claim;
      if (!same) this.events.push(this.roleEvent(node, claim, was));
    }
  }

  private roleEvent(node: number, claim: RoleClaim | null, was: RoleClaim | null = null): Event {
    return {
      type: 'info',
      process: 'cluster',
      f: ROLE_ANNOTATION,
      node: this.ids[node]!,
      value: claim ? claim.role : 'down',
      epoch: (claim ?? was)?.epoch ?? 0,
      time: this.time,
    };
  }

  private checkInvariants(): void {
    const found = this.call(0, 'invariants', null, () => this.system.invariants!(this.views()));
    for (const detail of found) this.breach('invariant', String(detail), []);
  }

  /** Each distinct breach once, at the time it was first seen. */
  private breach(kind: string, detail: string, nodes: readonly string[]): void {
    const key = `${kind}|${detail}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.violations.push({ kind, detail, nodes, time: this.time });
  }

  private watch(action: Action, first: number): void {
    const monitor = this.monitor!;
    const step = { time: this.time, action, nodes: this.views(), clocks: this.clocks.slice(), events: this.events.slice(first) };
    for (const finding of this.call(0, 'monitor', null, () => monitor(step))) {
      this.breach(String(finding.kind), String(finding.detail), finding.nodes ?? []);
    }
  }

  /** The one up node that claims to lead, or -1 when none or several do. */
  private soleLeader(): number {
    let found = -1;
    for (let i = 0; i < this.slots.length; i++) {
      if (!this.slots[i]!.up || this.slots[i]!.claim?.role !== 'leader') continue;
      if (found >= 0) return -1;
      found = i;
    }
    return found;
  }

  private isSettled(): boolean {
    return this.inFlight.length === 0 && this.call(0, 'settled', null, () => this.system.settled!(this.views())) === true;
  }

  private views(): NodeView<unknown>[] {
    return this.slots.map((slot, i) => ({ id: this.ids[i]!, up: slot.up, state: slot.state }));
  }

  private traceStep(action: Action): TraceStep {
    const nodes: NodeSnapshot[] = this.slots.map((slot, i) => ({
      id: this.ids[i]!,
      role: !slot.up ? 'down' : slot.claim ? slot.claim.role : 'up',
      ...(slot.claim && { epoch: slot.claim.epoch }),
      ...(slot.up && slot.claim?.log !== undefined && { log: slot.claim.log }),
      ...(slot.up && slot.claim?.commit !== undefined && { commit: slot.claim.commit }),
    }));
    return {
      time: this.time,
      action,
      ...(this.noop !== null && { noop: this.noop }),
      nodes,
      sent: this.sent.map((e) => this.note(e)),
      delivered: this.delivered.map((e) => this.note(e)),
      dropped: this.dropped.map((e) => this.note(e)),
    };
  }

  /** A message in the trace: its type, and its body's `epoch`, `after`, `ok` and number of `entries` when it has them. */
  private note(envelope: Envelope): MessageNote {
    const b = envelope.message.body;
    return {
      id: envelope.id,
      kind: b.type,
      from: this.ids[envelope.from]!,
      to: this.ids[envelope.to]!,
      ...(typeof b.epoch === 'number' && { epoch: b.epoch }),
      ...(Array.isArray(b.entries) && { entries: b.entries.length }),
      ...(typeof b.after === 'number' && { after: b.after }),
      ...(typeof b.ok === 'boolean' && { ok: b.ok }),
    };
  }

  private fault(f: string, value: Value, node?: string): void {
    this.faults.push(
      node === undefined
        ? { type: 'info', process: 'nemesis', f, value, time: this.time }
        : { type: 'info', process: 'nemesis', f, value, node, time: this.time },
    );
  }

  private skip(reason: string): void {
    this.noop = reason;
  }

  private linkOpen(from: number, to: number): boolean {
    return (this.cuts[from]! & (1 << to)) === 0;
  }
}

/** A number in [0, 1) from where it is asked (step, node, how many draws before): the schedule fixes it. */
function seeded(time: number, node: number, draw: number): number {
  let t = (Math.imul(time, 0x9e3779b1) ^ Math.imul(node + 1, 0x85ebca6b) ^ Math.imul(draw + 1, 0xc2b2ae35)) >>> 0;
  t = Math.imul(t ^ (t >>> 16), 0x7feb352d);
  t = Math.imul(t ^ (t >>> 15), 0x846ca68b);
  return ((t ^ (t >>> 16)) >>> 0) / 4294967296;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
