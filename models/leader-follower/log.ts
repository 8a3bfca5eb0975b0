import type { Value } from '../../history/value.ts';

// The replicated log. Entry i (1-based) sits at log[i - 1]. Logs are immutable arrays of immutable
// entries: a changed log is a new log sharing the entry objects (and, made here, their storage: see
// "Persistence" below), so logs on different nodes (and in messages) hold the very same entry objects
// when they agree.

type WriteF = 'write' | 'cas' | 'append';

/** What an entry asks the state machine to do: a client's mutation, or the no-op a new leader appends. */
export type Command =
  | { readonly kind: 'noop' }
  | {
      readonly kind: 'client';
      readonly f: WriteF;
      readonly key: number;
      /** write/append: the new value; cas: [expected, new]. */
      readonly value: Value;
      readonly client: number;
      readonly seq: number;
    };

export interface Entry {
  readonly index: number;
  readonly epoch: number;
  /** Unique in a run: tells apart entries that share an index and an epoch under a flawed policy. */
  readonly id: number;
  readonly command: Command;
}

export type Log = readonly Entry[];

export const NOOP: Command = Object.freeze({ kind: 'noop' });

export function lastEpoch(log: Log): number {
  return log.length === 0 ? 0 : log[log.length - 1].epoch;
}

/** The epoch of entry `index`; 0 before the first entry; -1 beyond the end. */
export function epochAt(log: Log, index: number): number {
  if (index === 0) return 0;
  return index <= log.length ? log[index - 1].epoch : -1;
}

/** Raft's election restriction: a candidate's log is at least as up to date as `log`. */
export function isUpToDate(candidateLastIndex: number, candidateLastEpoch: number, log: Log): boolean {
  const ours = lastEpoch(log);
  return candidateLastEpoch > ours || (candidateLastEpoch === ours && candidateLastIndex >= log.length);
}

export function appendEntry(log: Log, epoch: number, id: number, command: Command): Log {
  const entry: Entry = Object.freeze({ index: log.length + 1, epoch, id, command });
  return derived(extended(log, log.length, [entry], 0), log, log.length);
}

// Persistence: a log made here is a length over an append-only buffer of entries that it shares with
// every log it was made from or makes. Appending to a log that ends where its buffer ends pushes onto
// the buffer (the logs already holding it see only their own length); a log that diverges (appends
// after a shorter prefix, or onto a buffer others went on from) copies its prefix once into a buffer of
// its own. So a run appends in O(1) amortized, and logs on one buffer agree on their common length
// without comparing a single entry. A log is still read as a readonly array (a Proxy over the view):
// indexing, length, iteration and every array method; slice is a view too, never a copy.

interface View {
  readonly buffer: Entry[];
  readonly start: number;
  readonly length: number;
}

const views = new WeakMap<Log, View>();

/** Entries copied from one buffer into another, and entries compared: what the tests count. */
const work = { copied: 0, compared: 0 };

/** How much log work was done so far in this process: to prove a run stays linear, without timing. */
export function logWork(): { readonly copied: number; readonly compared: number } {
  return { ...work };
}

function viewLog(buffer: Entry[], start: number, length: number): Log {
  const view: View = { buffer, start, length };
  const log = new Proxy<Entry[]>([], new ViewHandler(view)) as Log;
  views.set(log, view);
  return log;
}

function isIndex(key: string): boolean {
  const c = key.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** The traps that make a view read as a frozen array; anything that would write throws. */
class ViewHandler implements ProxyHandler<Entry[]> {
  constructor(private readonly view: View) {}

  get(target: Entry[], key: string | symbol, receiver: unknown): unknown {
    const { buffer, start, length } = this.view;
    if (typeof key === 'string') {
      if (isIndex(key)) {
        const i = Number(key);
        return i < length ? buffer[start + i] : undefined;
      }
      if (key === 'length') return length;
      if (key === 'slice') return sliceView;
    }
    return Reflect.get(target, key, receiver);
  }

  has(target: Entry[], key: string | symbol): boolean {
    if (typeof key === 'string' && isIndex(key)) return Number(key) < this.view.length;
    return Reflect.has(target, key);
  }

  ownKeys(): (string | symbol)[] {
    const keys: string[] = [];
    for (let i = 0; i < this.view.length; i++) keys.push(String(i));
    keys.push('length');
    return keys;
  }

  getOwnPropertyDescriptor(_target: Entry[], key: string | symbol): PropertyDescriptor | undefined {
    if (key === 'length') return { value: this.view.length, writable: true, enumerable: false, configurable: false };
    if (typeof key === 'string' && isIndex(key) && Number(key) < this.view.length) {
      return { value: this.view.buffer[this.view.start + Number(key)], writable: false, enumerable: true, configurable: true };
    }
    return undefined;
  }

  set(): boolean {
    throw new TypeError('a log is immutable: make a new one with appendEntry or mergeEntries');
  }

  defineProperty(): boolean {
    throw new TypeError('a log is immutable: make a new one with appendEntry or mergeEntries');
  }

  /** Refused before it touches the target, which must stay extensible to show the view's entries. */
  preventExtensions(): boolean {
    throw new TypeError('a log cannot be frozen: it is immutable already, every write throws');
  }

  deleteProperty(): boolean {
    throw new TypeError('a log is immutable: make a new one with appendEntry or mergeEntries');
  }
}

/** Array.prototype.slice's arguments, as a view on the same buffer. */
function sliceView(this: Log, begin?: number, end?: number): Log {
  const view = views.get(this) as View;
  const from = relative(begin, 0, view.length);
  const to = relative(end, view.length, view.length);
  return viewLog(view.buffer, view.start + from, Math.max(0, to - from));
}

function relative(position: number | undefined, otherwise: number, length: number): number {
  if (position === undefined) return otherwise;
  const whole = Math.trunc(position) || 0;
  return whole < 0 ? Math.max(0, length + whole) : Math.min(whole, length);
}

/** The first `keep` entries of `log`, then `more` from `from` on: shared where the buffers allow, else copied once. */
function extended(log: Log, keep: number, more: Log, from: number): Log {
  const view = views.get(log);
  const added = more.length - from;
  if (view && view.start === 0) {
    const source = views.get(more);
    // `more` continues this very buffer right where the kept prefix ends: the merged log is a longer view.
    if (source && source.buffer === view.buffer && source.start + from === keep) return viewLog(view.buffer, 0, keep + added);
    if (view.buffer.length === keep) {
      for (let i = from; i < more.length; i++) view.buffer.push(more[i]);
      return viewLog(view.buffer, 0, keep + added);
    }
  }
  const buffer: Entry[] = new Array(keep + added);
  for (let i = 0; i < keep; i++) buffer[i] = log[i];
  for (let i = from; i < more.length; i++) buffer[keep + i - from] = more[i];
  work.copied += keep;
  return viewLog(buffer, 0, keep + added);
}

/** Logs on one buffer from its start hold the very same entries up to the shorter one's length. */
function sharedPrefix(a: Log, b: Log): number | undefined {
  const x = views.get(a);
  const y = views.get(b);
  if (!x || !y || x.buffer !== y.buffer || x.start !== y.start) return undefined;
  return Math.min(x.length, y.length);
}

/**
 * Which log a log was made from, and how many of its first entries are the very same objects. Logs are
 * compared after every step (the invariants); knowing that a new log is its parent plus a little
 * lets agreedLength compare only the little, so a run stays linear in its length.
 */
const lineage = new WeakMap<Log, { readonly parent: Log; readonly shared: number }>();

function derived(log: Log, parent: Log, shared: number): Log {
  lineage.set(log, { parent, shared });
  return log;
}

/** The log `log` was made from and how many first entries they share; undefined for a log made elsewhere. */
export function lineageOf(log: Log): { readonly parent: Log; readonly shared: number } | undefined {
  return lineage.get(log);
}

/** Lower bounds already proved: known.get(a).get(b) = k means a and b agree at 1..k. */
const known = new WeakMap<Log, WeakMap<Log, number>>();

/** How far back a log's lineage is followed; a log made some other way is compared entry by entry. */
const LINEAGE_DEPTH = 4;

function knownAgreement(a: Log, b: Log): number | undefined {
  if (a === b) return a.length;
  const shared = sharedPrefix(a, b);
  if (shared !== undefined) return shared;
  return known.get(a)?.get(b) ?? known.get(b)?.get(a);
}

/**
 * What is already proved about a and b: from the pair itself, else from the nearest pair of
 * ancestors compared before (a new log is usually one step from a log compared in the last step).
 */
function provedAgreement(a: Log, b: Log): number {
  const direct = knownAgreement(a, b);
  if (direct !== undefined) return direct;
  let x: Log = a;
  let sharedA = a.length;
  for (let i = 0; i <= LINEAGE_DEPTH; i++) {
    let y: Log = b;
    let sharedB = b.length;
    for (let j = 0; j <= LINEAGE_DEPTH; j++) {
      const proved = i + j === 0 ? undefined : knownAgreement(x, y);
      if (proved !== undefined) return Math.min(proved, sharedA, sharedB);
      const up = lineage.get(y);
      if (!up) break;
      y = up.parent;
      sharedB = Math.min(sharedB, up.shared);
    }
    const up = lineage.get(x);
    if (!up) break;
    x = up.parent;
    sharedA = Math.min(sharedA, up.shared);
  }
  return 0;
}

/**
 * The largest k <= upTo such that the logs hold the same entries (by identity or id) at 1..k: what
 * earlier comparisons of their ancestors proved, then entry by entry from there.
 */
export function agreedLength(a: Log, b: Log, upTo: number): number {
  const limit = Math.min(upTo, a.length, b.length);
  let k = Math.min(provedAgreement(a, b), limit);
  const from = k;
  while (k < limit && (a[k] === b[k] || a[k].id === b[k].id)) k++;
  work.compared += k - from;
  if (a !== b) {
    let row = known.get(a);
    if (!row) {
      row = new WeakMap();
      known.set(a, row);
    }
    if ((row.get(b) ?? 0) < k) row.set(b, k);
  }
  return k;
}

export interface Merged {
  readonly log: Log;
  /** The first index whose entry was replaced or removed; Infinity when the old log survives whole. */
  readonly cutAt: number;
}

/**
 * Lays `entries` (starting at prevIndex + 1) over the log: entries already present with the same
 * epoch are kept, the first conflicting entry and everything after it are truncated, and the rest is
 * appended. A shorter, older message never truncates anything it agrees with.
 */
export function mergeEntries(log: Log, prevIndex: number, entries: Log): Merged {
  let i = 0;
  while (i < entries.length && prevIndex + i < log.length && log[prevIndex + i].epoch === entries[i].epoch) i++;
  if (i === entries.length) return { log, cutAt: Infinity };
  const keep = prevIndex + i;
  return { log: derived(extended(log, keep, entries, i), log, keep), cutAt: keep < log.length ? keep + 1 : Infinity };
}

/**
 * Where the leader should resume after the entry at prevIndex did not match: just before the first
 * entry of the conflicting epoch (skipping the whole epoch in one round trip), or the end of a short log.
 */
export function resumeHint(log: Log, prevIndex: number): number {
  if (prevIndex > log.length) return log.length;
  const conflicting = log[prevIndex - 1].epoch;
  let i = prevIndex - 1;
  while (i > 0 && log[i - 1].epoch === conflicting) i--;
  return i;
}

/**
 * A flawed follower's way: the log becomes entries 1..prevIndex followed by `entries`, whatever it held
 * after them, so an older, shorter append overtaken by a newer one erases what the newer one brought.
 */
export function overwriteEntries(log: Log, prevIndex: number, entries: Log): Merged {
  const merged = mergeEntries(log, prevIndex, entries);
  const end = prevIndex + entries.length;
  if (merged.log.length <= end) return merged;
  return { log: derived(merged.log.slice(0, end), merged.log, end), cutAt: Math.min(merged.cutAt, end + 1) };
}
