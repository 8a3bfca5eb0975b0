import type { History, Operation } from '../operation.ts';
import type { Value } from '../value.ts';
import { describeValue, isValueObject } from '../value.ts';
import { SET_ADDS } from './set/set.ts';

// Which kind of data a history's operations act on, recognised from their shapes, so the right
// detectors and checks run without the user saying:
// - register: read, write and (cas-register) cas; a key-value store's get and put are read and write;
// - key-value: get, put, append (of strings) and delete;
// - list-append: append and read of whole lists, or Elle's txns of [append k v] / [r k list];
// - set: add (Maelstrom's broadcast) and read of whole sets;
// (a history of reads alone is a register's, unless they return lists);
// - other: anything else (mutex, Knossos' multi-register txns of read/write micro-ops, mixtures).

export type Workload = 'register' | 'list-append' | 'set' | 'key-value' | 'other';

const REGISTER_FS = new Set(['read', 'write', 'cas', 'get', 'put']);
const KEY_VALUE_FS = new Set(['get', 'put', 'append', 'delete']);

export function recogniseWorkload(history: History): Workload {
  const fs = new Set<string>();
  for (const op of history.operations) fs.add(op.f);
  if (fs.size === 0) return 'other';
  if (fs.has('txn')) return fs.size === 1 && history.operations.every(isElleListTxn) ? 'list-append' : 'other';
  if (fs.has('append') && onlyAlso(fs, 'append')) return 'list-append';
  if ((fs.has('append') || fs.has('delete')) && [...fs].every((f) => KEY_VALUE_FS.has(f))) return 'key-value';
  if (fs.has('append')) return 'other';
  for (const add of SET_ADDS) if (fs.has(add)) return onlyAlso(fs, add) ? 'set' : 'other';
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

/**
 * Why a history looks like a workload leaderlog does not check (Jepsen's bank, counter, long-fork,
 * unique-ids, or reads of maps), so that it is refused rather than judged as the register it is not;
 * undefined when it looks like nothing of the kind.
 */
export function unsupportedWorkload(history: History): string | undefined {
  const fs = new Set<string>();
  for (const op of history.operations) fs.add(op.f);
  if (fs.has('transfer')) return 'looks like a bank workload (transfer operations between accounts)';
  if (fs.has('generate')) return 'looks like a unique-ids workload (generate operations)';
  const mapRead = history.operations.find((op) => op.f === 'read' && op.result === 'ok' && isValueObject(op.output));
  if (mapRead) {
    return `looks like a bank workload: read #${mapRead.id} returned a map, ${describeValue(mapRead.output, 40)}, and leaderlog checks no workload whose reads return maps`;
  }
  const microOps = history.operations.find((op) => (op.f === 'read' || op.f === 'write') && isMicroOpList(op.input));
  if (microOps) {
    return `looks like a long-fork workload: ${microOps.f} #${microOps.id} carries micro-ops ${describeValue(microOps.input, 40)} (multi-register histories use f txn)`;
  }
  if (fs.has('add') && !fs.has('broadcast')) {
    const numberRead = history.operations.find((op) => op.f === 'read' && op.result === 'ok' && isNumber(op.output));
    if (numberRead) return `looks like a counter workload: add operations, and read #${numberRead.id} returned the number ${describeValue(numberRead.output)}, not a set`;
  }
  return undefined;
}

function isNumber(value: Value): boolean {
  return typeof value === 'number' || typeof value === 'bigint';
}

/** Jepsen's transaction micro-ops, [:r k v] or [:w k v], as long-fork writes them under f read and write. */
function isMicroOpList(value: Value): boolean {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((micro: Value) => Array.isArray(micro) && micro.length === 3 && (micro[0] === 'r' || micro[0] === 'w' || micro[0] === 'read' || micro[0] === 'write'))
  );
}
