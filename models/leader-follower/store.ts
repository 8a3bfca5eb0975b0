import { valueEqual } from '../../history/value.ts';
import type { Value } from '../../history/value.ts';
import type { Command, Log } from './log.ts';

// The state machine every node applies its committed entries to: one value per key, nil at first.
// A key that is appended to holds a list; a key that is written holds the last value.

export type Store = readonly Value[];

export function emptyStore(keys: number): Store {
  return new Array<Value>(keys).fill(null);
}

export interface Applied {
  readonly store: Store;
  /** False only for a cas whose expected value did not match: it changed nothing. */
  readonly done: boolean;
}

export function applyCommand(store: Store, command: Command): Applied {
  if (command.kind === 'noop') return { store, done: true };
  const { f, key, value } = command;
  const current = store[key];
  let next: Value;
  if (f === 'write') next = value;
  else if (f === 'append') next = Array.isArray(current) ? [...current, value] : [value];
  else {
    const [expected, replacement] = value as readonly Value[];
    if (!valueEqual(current, expected)) return { store, done: false };
    next = replacement;
  }
  const copy = store.slice();
  copy[key] = next;
  return { store: copy, done: true };
}

/** The store after applying entries 1..upTo of a log: used when a flawed design truncates applied entries. */
export function replay(keys: number, log: Log, upTo: number): Store {
  let store = emptyStore(keys);
  for (let i = 0; i < upTo; i++) store = applyCommand(store, log[i].command).store;
  return store;
}
