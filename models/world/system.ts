import type { AnomalyKind } from '../../history/anomaly.ts';
import type { ConsistencyLevel } from '../../history/consistency/level.ts';
import type { Event } from '../../history/event.ts';
import type { Value } from '../../history/value.ts';
import type { ClientWorkload } from '../../history/workloads/workload.ts';
import type { Action } from './action.ts';

// The System interface: what a user writes to put their own replicated design under leaderlog. A node
// is ordinary code, a state and a few handlers, with no simulator in it: the world (world/run-system.ts)
// owns time, the network, faults, clients and randomness, and hands a node only what it would see in a
// real deployment: a message, a clock tick, a restart from its disk. Messages have Maelstrom's shape and
// clients speak Maelstrom's lin-kv vocabulary (plus list append), so the same design can later run as a
// process speaking Maelstrom's protocol.
//
// Handlers must be deterministic: all randomness comes from `ctx.random()` and all time from
// `ctx.now`, never from Math.random or Date.now. The campaign runs schedules twice and compares them,
// and refuses a system whose history differs.

/** The anomaly a flawed design is known for, named as history/anomaly.ts names it. */
export type ExpectedAnomaly = Extract<AnomalyKind, 'lost-write' | 'stale-read' | 'dual-leader'>;

/** A message body: Maelstrom's `type`, optional `msg_id` and `in_reply_to`, and the rest is the design's. */
export interface Body {
  readonly type: string;
  readonly msg_id?: number;
  readonly in_reply_to?: number;
  readonly [field: string]: unknown;
}

/** A message between nodes, or between a client (`c1`, `c2`, ...) and a node (`n1`, `n2`, ...). */
export interface Message<B extends Body = Body> {
  readonly src: string;
  readonly dest: string;
  readonly body: B;
}

/** What clients ask: lin-kv's read, write and cas, and append to a list. Keys are 0, 1, 2, ... */
export type ClientRequest =
  | { readonly type: 'read'; readonly msg_id: number; readonly key: number }
  | { readonly type: 'write'; readonly msg_id: number; readonly key: number; readonly value: number }
  | { readonly type: 'cas'; readonly msg_id: number; readonly key: number; readonly from: Value; readonly to: number }
  | { readonly type: 'append'; readonly msg_id: number; readonly key: number; readonly value: number };

/** What a node answers a client, with `in_reply_to` set to the request's `msg_id` (ctx.reply does it). */
export type ClientReply =
  | { readonly type: 'read_ok'; readonly value: Value }
  | { readonly type: 'write_ok' }
  | { readonly type: 'cas_ok' }
  | { readonly type: 'append_ok' }
  /** `leader`: where the client should go next (an extension of Maelstrom's error; optional). */
  | { readonly type: 'error'; readonly code: number; readonly text?: string; readonly leader?: string };

/**
 * Maelstrom's error codes. A definite error means the operation certainly did not happen (the client
 * records it as failed); any other may or may not have taken effect (indeterminate: info).
 */
export const ERROR_CODES = {
  timeout: 0,
  'node-not-found': 1,
  'not-supported': 10,
  'temporarily-unavailable': 11,
  'malformed-request': 12,
  crash: 13,
  abort: 14,
  'key-does-not-exist': 20,
  'key-already-exists': 21,
  'precondition-failed': 22,
  'txn-conflict': 30,
} as const;

const DEFINITE = new Set<number>([1, 10, 11, 12, 14, 20, 21, 22, 30]);

export function isDefiniteError(code: number): boolean {
  return DEFINITE.has(code);
}

export function errorName(code: number): string {
  const found = Object.entries(ERROR_CODES).find(([, value]) => value === code);
  return found ? found[0] : `error ${code}`;
}

/** What a handler may do, and all it may know of the world. */
export interface NodeContext {
  /** This node: `n1`, `n2`, ... */
  readonly id: string;
  /** Every node of the cluster, this one included. */
  readonly nodeIds: readonly string[];
  /**
   * This node's clock: the number of steps the world has taken, each counted at the rate this node's
   * clock runs (1, unless the system declares a drift and the schedule skews it). Use it instead of Date.now.
   */
  readonly now: number;
  /** Sends a message to a node (or, to answer one, a client). */
  send(dest: string, body: Body): void;
  /**
   * Passes `message` on as it is, keeping the `src` it carries (a client's request handed to the
   * leader, which then answers the client itself). The world still knows it came from this node.
   */
  forward(message: Message): void;
  /** Answers `request`: sends `body` back to its sender with `in_reply_to` set to its `msg_id`. */
  reply(request: Message, body: Body): void;
  /** A number in [0, 1), seeded by the world: the same schedule gives the same numbers. Use it instead of Math.random. */
  random(): number;
}

/** What a node believes it is, for role annotations in the history and the single-leader property. */
export interface RoleClaim {
  readonly role: 'leader' | 'follower' | 'candidate';
  readonly epoch: number;
  /** Optional, for a design with a log: how many entries the node holds and how far it has committed (shown in replay's step list). */
  readonly log?: number;
  readonly commit?: number;
}

/** A node as the whole-cluster hooks (invariants, settled) see it. */
export interface NodeView<S> {
  readonly id: string;
  readonly up: boolean;
  /** Its state (a down node's last state before the crash). */
  readonly state: S;
}

/** A breach a monitor found: a name (the properties report it), what happened, the nodes involved. */
export interface Finding {
  readonly kind: string;
  readonly detail: string;
  readonly nodes?: readonly string[];
}

/** One step of a run, as a monitor sees it: what was done, the nodes after it, the history it added. */
export interface MonitorStep<S> {
  readonly time: number;
  readonly action: Action;
  readonly nodes: readonly NodeView<S>[];
  /** Each node's clock after the step (what its ctx.now reads), by node index. */
  readonly clocks: readonly number[];
  /** The step's history events: faults, role annotations, client invocations and completions. */
  readonly events: readonly Event[];
}

/** Watches one run, step by step; it may keep what it has seen (a fresh one per run). */
export type Monitor<S> = (step: MonitorStep<S>) => readonly Finding[];

/**
 * A replicated design: its nodes' state `S`, what a crash leaves of it `D`, and handlers. Each handler
 * may return the node's new state, or change the state it was given and return nothing.
 */
export interface System<S = unknown, D = unknown> {
  readonly name: string;
  /** Cluster size: nodes n1..nN. */
  readonly nodes: number;
  /**
   * Every cluster size the design runs at, `nodes` among them (default just `nodes`): a schedule may
   * begin with a `cluster` action choosing one, and the campaign draws one per run. A design with
   * sizes takes its cluster from ctx.nodeIds.
   */
  readonly sizes?: readonly number[];
  /** The story of the design, in a sentence or two (reports print it). */
  readonly story?: string;
  /** What the design promises its clients (default linearizable); the `linearizable` property holds it to that. */
  readonly promises?: ConsistencyLevel;
  /** For a design known to be flawed: the anomalies it must be caught with. Empty or missing: it must hold. */
  readonly knownFor?: readonly ExpectedAnomaly[];
  /** Clients (default 3) and keys (default 2) of the workload. */
  readonly clients?: number;
  readonly keys?: number;
  /** Which workloads clients run (default both): lin-kv registers, list append. */
  readonly workloads?: readonly ClientWorkload[];
  /** Ticks a follower waits for its leader before acting (default 5): the longest useful burst of ticks. */
  readonly patience?: number;
  /**
   * Ticks a healed cluster may take before it can elect (default: patience), when that is longer than
   * its patience: under leases, no follower votes until its promise runs out. The finale waits for the
   * cluster to settle 30 rounds longer than this.
   */
  readonly settling?: number;
  /**
   * The clock drift the design is built to tolerate: the schedule may then make any node's clock run
   * at 1 - drift or 1 + drift of the world's rate (a `clock` action). A multiple of 1/1024 in 0..1/2,
   * so clocks stay exact; default 0, every clock reads the world's step count.
   */
  readonly drift?: number;

  /** A node's state on first boot. */
  init(ctx: NodeContext): S;
  /** A message from another node or a client. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler either returns the new state or updates it in place and returns nothing, written as `=> void`; `| undefined` would reject those
  receive(state: S, message: Message, ctx: NodeContext): S | void;
  /** One tick of this node's clock: heartbeats, timeouts, flushes. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler either returns the new state or updates it in place and returns nothing, written as `=> void`; `| undefined` would reject those
  tick(state: S, ctx: NodeContext): S | void;
  /** What survives a crash of this node, as it stands now (its disk). */
  durable(state: S): D;
  /** The node again after a crash, from what it declared durable. */
  restart(durable: D, ctx: NodeContext): S;

  /** Optional: the role and epoch the node believes it has. Without it, nothing is said of leaders. */
  role?(state: S): RoleClaim;
  /** Optional: an operator makes this node leader (or asks it to stand). */
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler either returns the new state or updates it in place and returns nothing, written as `=> void`; `| undefined` would reject those
  promote?(state: S, ctx: NodeContext): S | void;
  /** Optional: an operator makes this node step down. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler either returns the new state or updates it in place and returns nothing, written as `=> void`; `| undefined` would reject those
  demote?(state: S, ctx: NodeContext): S | void;
  /**
   * Optional: the node is paused, and later resumed (a process gets SIGSTOP, then SIGCONT). The world
   * itself holds a paused node's messages and ticks, so an in-process design needs neither hook.
   */
  pause?(state: S): void;
  resume?(state: S): void;
  /** Optional: what is wrong with the cluster right now, one line each (checked after every step). */
  invariants?(nodes: readonly NodeView<S>[]): readonly string[];
  /**
   * Optional: a watcher of the whole run, for breaches no single moment shows: a committed entry
   * later replaced, two votes by one node in one epoch, an acknowledgement by a leader already
   * deposed. Called once per run with the nodes as they start; the monitor it returns sees every step
   * after it. Its findings are reported with the invariants', by their `kind` (kinds `two-leaders` and
   * `deposed-ack` also count against the single-leader property).
   */
  monitor?(nodes: readonly NodeView<S>[]): Monitor<S>;
  /** Optional: whether the cluster has settled (one leader, every log caught up), so the finale's reads may start. */
  settled?(nodes: readonly NodeView<S>[]): boolean;
}

/** A system of any state, as the world holds it. */
// biome-ignore lint/suspicious/noExplicitAny: S and D are both read and written by the handlers (invariant), so no unknown/never fits every system; `any` is the existential here
export type AnySystem = System<any, any>;

/** Returns `system` as given: it lets TypeScript infer the state types from the handlers. */
export function defineSystem<S, D>(system: System<S, D>): System<S, D> {
  return system;
}

/** Whether `value` looks like a System (what a module's exports are searched for). */
export function isSystem(value: unknown): value is AnySystem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && typeof v.receive === 'function' && typeof v.init === 'function' && typeof v.tick === 'function';
}

export function nodeIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `n${i + 1}`);
}

export function clientId(index: number): string {
  return `c${index + 1}`;
}
