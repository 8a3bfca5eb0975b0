import type { Value } from '../../history/value.ts';

// The replicated log. Entry i (1-based) sits at log[i - 1]. Logs are immutable arrays of immutable
// entries: a changed log is a new array sharing the entry objects, so logs on different nodes (and in
// messages) hold the very same entry objects when they agree.

export type WriteF = 'write' | 'cas' | 'append';

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
  const copy = log.slice();
  copy.push(Object.freeze({ index: log.length + 1, epoch, id, command }));
  return derived(copy, log, log.length);
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

/** Lower bounds already proved: known.get(a).get(b) = k means a and b agree at 1..k. */
const known = new WeakMap<Log, WeakMap<Log, number>>();

/** How far back a log's lineage is followed; a log made some other way is compared entry by entry. */
const LINEAGE_DEPTH = 4;

function knownAgreement(a: Log, b: Log): number | undefined {
  if (a === b) return a.length;
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
  while (k < limit && (a[k] === b[k] || a[k].id === b[k].id)) k++;
  if (a !== b) {
    let row = known.get(a);
    if (!row) known.set(a, (row = new WeakMap()));
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
  const merged = log.slice(0, keep);
  for (let j = i; j < entries.length; j++) merged.push(entries[j]);
  return { log: derived(merged, log, keep), cutAt: keep < log.length ? keep + 1 : Infinity };
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
