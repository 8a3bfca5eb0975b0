import type { History, Operation } from '../operation.ts';
import type { Value } from '../value.ts';

// Which kind of data a history's operations act on, recognised from their shapes, so the right
// detectors and checks run without the user saying:
// - register: read, write and (cas-register) cas;
// - list-append: append and read of whole lists, or Elle's txns of [append k v] / [r k list];
// - set: add and read of whole sets;
// (a history of reads alone is a register's, unless they return lists);
// - other: anything else (mutex, Knossos' multi-register txns of read/write micro-ops, mixtures).

export type Workload = 'register' | 'list-append' | 'set' | 'other';

const REGISTER_FS = new Set(['read', 'write', 'cas']);

export function recogniseWorkload(history: History): Workload {
  const fs = new Set<string>();
  for (const op of history.operations) fs.add(op.f);
  if (fs.size === 0) return 'other';
  if (fs.has('txn')) return fs.size === 1 && history.operations.every(isElleListTxn) ? 'list-append' : 'other';
  if (fs.has('append')) return onlyAlso(fs, 'append') ? 'list-append' : 'other';
  if (fs.has('add')) return onlyAlso(fs, 'add') ? 'set' : 'other';
  if (fs.size === 1 && fs.has('read') && readsOfLists(history)) return 'list-append';
  return [...fs].every((f) => REGISTER_FS.has(f)) ? 'register' : 'other';
}

/** Reads only, returning lists: nothing was appended (a set history looks the same, and means the same). */
function readsOfLists(history: History): boolean {
  let lists = 0;
  for (const op of history.operations) {
    if (op.result !== 'ok') continue;
    if (!Array.isArray(op.output) && op.output !== null) return false;
    if (Array.isArray(op.output)) lists++;
  }
  return lists > 0;
}

function onlyAlso(fs: ReadonlySet<string>, writer: string): boolean {
  return [...fs].every((f) => f === writer || f === 'read');
}

/** An Elle list-append txn: micro-ops named append or r (how many is the list-append reader's business). */
function isElleListTxn(op: Operation): boolean {
  const value: Value = op.input;
  if (!Array.isArray(value) || value.length === 0) return false;
  return value.every((micro: Value) => Array.isArray(micro) && (micro[0] === 'append' || micro[0] === 'r'));
}
