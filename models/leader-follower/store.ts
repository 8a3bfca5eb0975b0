import type { Value } from '../../history/value.ts';
import { valueEqual } from '../../history/value.ts';
import type { Command, Log } from './log.ts';
import { lineageOf } from './log.ts';

// The state machine every node applies its committed entries to: one value per key, nil at first.
// A key that is appended to holds a list; a key that is written holds the last value. Beside the
// values, Raft's client sessions: per client, the newest request applied, so that a request a client
// sent twice (a retry) takes effect once, however many entries carry it.

export interface Store {
  readonly values: readonly Value[];
  /** By client: the newest request applied (missing: none yet). */
  readonly sessions: readonly (Session | undefined)[];
}

/** A client's newest request applied: its sequence number, and whether it took effect (a cas may not). */
export interface Session {
  readonly seq: number;
  readonly done: boolean;
}

export function emptyStore(keys: number): Store {
  return { values: new Array<Value>(keys).fill(null), sessions: [] };
}

export interface Applied {
  readonly store: Store;
  /** False only for a cas whose expected value did not match: it changed nothing. */
  readonly done: boolean;
}

/** Whether two stores hold the same values and sessions. */
export function storesEqual(a: Store, b: Store): boolean {
  if (a === b) return true;
  if (a.values.length !== b.values.length || a.sessions.length !== b.sessions.length) return false;
  return (
    a.values.every((v, k) => valueEqual(v, b.values[k]!)) &&
    a.sessions.every((s, c) => s?.seq === b.sessions[c]?.seq && s?.done === b.sessions[c]?.done)
  );
}

export function applyCommand(store: Store, command: Command): Applied {
  if (command.kind === 'noop') return { store, done: true };
  const { f, key, value, client, seq } = command;
  // A request applied already (a client's sequence numbers only grow): it changes nothing again, and
  // answers as its first copy did.
  const session = store.sessions[client];
  if (session && seq <= session.seq) return { store, done: seq === session.seq ? session.done : false };
  const current = store.values[key];
  let next: Value;
  if (f === 'write') next = value;
  else if (f === 'append') next = Array.isArray(current) ? [...current, value] : [value];
  else {
    const [expected, replacement] = value as readonly Value[];
    if (!valueEqual(current, expected))
      return { store: { values: store.values, sessions: opened(store, client, seq, false) }, done: false };
    next = replacement;
  }
  const values = store.values.slice();
  values[key] = next;
  return { store: { values, sessions: opened(store, client, seq, true) }, done: true };
}

function opened(store: Store, client: number, seq: number, done: boolean): Store['sessions'] {
  const sessions = store.sessions.slice();
  sessions[client] = { seq, done };
  return sessions;
}

/** The newest replay of each log, so the next replay of it or of a log made from it goes on from there. */
const replays = new WeakMap<Log, { readonly upTo: number; readonly store: Store }>();

/** Commands applied by replay in this process: what a test counts to prove replaying stays linear. */
let replayed = 0;

export function replayedCommands(): number {
  return replayed;
}

/** How far up a log's lineage a replay to go on from is looked for. */
const LINEAGE_DEPTH = 4;

/**
 * The store after applying entries 1..upTo of a log: used when a flawed design truncates applied
 * entries, and by the invariants after every step. It goes on from the replay of this log or of an
 * ancestor it shares those entries with, so replaying at every step stays linear in a run's length.
 */
export function replay(keys: number, log: Log, upTo: number): Store {
  let from = 0;
  let store = emptyStore(keys);
  let x: Log | undefined = log;
  let shared = log.length;
  for (let depth = 0; x && depth <= LINEAGE_DEPTH; depth++) {
    const known = replays.get(x);
    if (known && known.upTo <= Math.min(shared, upTo) && known.store.values.length === keys) {
      ({ upTo: from, store } = known);
      break;
    }
    const up = lineageOf(x);
    shared = Math.min(shared, up?.shared ?? 0);
    x = up?.parent;
  }
  for (let i = from; i < upTo; i++) store = applyCommand(store, log[i].command).store;
  replayed += Math.max(0, upTo - from);
  if (upTo >= (replays.get(log)?.upTo ?? 0)) replays.set(log, { upTo, store });
  return store;
}
