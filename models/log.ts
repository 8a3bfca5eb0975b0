import type { Value } from '../history/value.ts';

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
  return copy;
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
  return { log: merged, cutAt: keep < log.length ? keep + 1 : Infinity };
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

/** True when the two logs hold the same entries at 1..upTo (by identity, so also after a JSON round trip). */
export function samePrefix(a: Log, b: Log, upTo: number): boolean {
  if (a.length < upTo || b.length < upTo) return false;
  for (let i = upTo - 1; i >= 0; i--) {
    if (a[i] !== b[i] && a[i].id !== b[i].id) return false;
  }
  return true;
}
