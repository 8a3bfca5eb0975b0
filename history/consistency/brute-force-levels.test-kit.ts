import type { Key } from '../event.ts';
import type { History, Operation } from '../operation.ts';
import type { Value } from '../value.ts';
import { valueKey } from '../value.ts';
import type { LevelWorkload } from '../workloads/workload.ts';
import type { ConsistencyLevel } from './level.ts';

// The consistency levels by brute force, straight from their definitions, for property tests on small
// register and list-append histories: no constraint graphs, no pruning, every candidate order tried.
// Shares nothing with the checks it tests but the History it reads. What the definitions say:
// - an operation happened: acknowledged ones did, failed ones did not, :info ones may have or not;
//   an :info read observed nothing;
// - a precedes b in real time when a is acknowledged and completed before b was invoked (an :info
//   operation precedes nothing: it may take effect at any point after its invocation); in its session
//   when, besides, both are the same process's;
// - linearizable / sequential: some subset of the :info writes and one total order of every operation
//   that happened, respecting real time / sessions, in which every read returns the key's state then
//   (a register's latest value, a list's appends in order) and every cas found its old value;
// - a session guarantee, key by key: some subset of the :info writes, one order of the writes that
//   happened (the version order), and for every read a write it saw (of its value; for a list, the last
//   of its prefix, the list being exactly the order's prefix up to it; for a cas, one before the cas),
//   such that: monotonic-reads, r1 then r2 in a session sees w_r1 <= w_r2; read-your-writes, w then r
//   sees w <= w_r; monotonic-writes, w1 then w2 puts w1 < w2; writes-follow-reads, r then w puts w_r < w;
//   and, under the real-time write order, w1 < w2 whenever w1 precedes w2 in real time or was
//   acknowledged in an earlier epoch.

interface Op {
  readonly id: number;
  readonly process: number;
  readonly key?: Key;
  readonly kind: 'read' | 'write' | 'cas';
  readonly ok: boolean;
  readonly invoke: number;
  readonly complete: number;
  /** What a read or cas saw (a list for list-append reads), as a value key. */
  readonly seen?: string;
  /** The seen list's elements (list-append reads). */
  readonly list?: readonly string[];
  /** What a write or cas wrote, as a value key. */
  readonly wrote?: string;
  readonly epoch?: number;
}

export type BruteWriteOrder = 'real-time' | 'free';

export function bruteForceLevel(
  history: History,
  workload: LevelWorkload,
  level: ConsistencyLevel,
  initialValue: Value = null,
  writeOrder: BruteWriteOrder = 'real-time',
): boolean {
  const ops = history.operations.flatMap((op) => opOf(op, workload) ?? []);
  if (level === 'linearizable' || level === 'sequential') return totalOrder(ops, workload, level, valueKey(initialValue));
  const keys = new Set(ops.map((op) => op.key));
  return [...keys].every((key) =>
    versionOrder(
      ops.filter((op) => op.key === key),
      workload,
      level,
      valueKey(initialValue),
      writeOrder,
    ),
  );
}

function opOf(op: Operation, workload: LevelWorkload): Op | undefined {
  if (op.result === 'fail') return undefined;
  const common = {
    id: op.id,
    process: op.process,
    ...(op.key !== undefined && { key: op.key }),
    ...(op.epoch !== undefined && op.result === 'ok' && { epoch: op.epoch }),
    ok: op.result === 'ok',
    invoke: op.invokeIndex,
    complete: op.completeIndex,
  };
  if (op.f === 'read') {
    if (op.result !== 'ok') return undefined;
    if (workload === 'register') return { ...common, kind: 'read', seen: valueKey(op.output) };
    const list = ((op.output ?? []) as readonly Value[]).map(valueKey);
    return { ...common, kind: 'read', seen: list.join('\u0001'), list };
  }
  if (op.f === 'write' || op.f === 'append') return { ...common, kind: 'write', wrote: valueKey(op.input) };
  const [old, now] = op.input as readonly Value[];
  return { ...common, kind: 'cas', seen: valueKey(old), wrote: valueKey(now) };
}

const precedes = (a: Op, b: Op) => a.ok && a.complete < b.invoke;
const inSession = (a: Op, b: Op) => a.process === b.process && precedes(a, b);

/** Every order of the operations that happened (any subset of the :info ones) respecting the level's precedence. */
function totalOrder(ops: readonly Op[], workload: LevelWorkload, level: 'linearizable' | 'sequential', initial: string): boolean {
  const before = level === 'linearizable' ? precedes : inSession;
  const needs = ops.map((b) => ops.flatMap((a, i) => (before(a, b) ? [i] : [])));
  const mustPlace = ops.reduce((mask, op, i) => (op.ok ? mask | (1 << i) : mask), 0);
  const failed = new Set<string>();
  const search = (placed: number, state: ReadonlyMap<Key | undefined, string[]>): boolean => {
    if ((placed & mustPlace) === mustPlace) return true;
    const memo = `${placed} ${JSON.stringify([...state])}`;
    if (failed.has(memo)) return false;
    for (let i = 0; i < ops.length; i++) {
      if (placed & (1 << i) || needs[i].some((j) => !(placed & (1 << j)))) continue;
      const next = apply(ops[i], state, workload, initial);
      if (next && search(placed | (1 << i), next)) return true;
    }
    failed.add(memo);
    return false;
  };
  return search(0, new Map());
}

/** The key's state after the op, or undefined if the op cannot take effect now. A state is the list of values written, in order. */
function apply(
  op: Op,
  state: ReadonlyMap<Key | undefined, string[]>,
  workload: LevelWorkload,
  initial: string,
): ReadonlyMap<Key | undefined, string[]> | undefined {
  const log = state.get(op.key) ?? [];
  const current = log.at(-1) ?? initial;
  if (op.kind === 'read') {
    const matches = workload === 'register' ? op.seen === current : op.seen === log.join('\u0001');
    return matches ? state : undefined;
  }
  if (op.kind === 'cas' && op.seen !== current) return undefined;
  return new Map(state).set(op.key, [...log, op.wrote!]);
}

/** One key: every subset of its :info writes, every order of the writes, every choice of what each read saw. */
function versionOrder(
  ops: readonly Op[],
  workload: LevelWorkload,
  level: ConsistencyLevel,
  initial: string,
  writeOrder: BruteWriteOrder,
): boolean {
  const writes = ops.filter((op) => op.kind !== 'read');
  const maybe = writes.filter((op) => !op.ok);
  for (let subset = 0; subset < 1 << maybe.length; subset++) {
    const happened = writes.filter((op) => op.ok || (subset & (1 << maybe.indexOf(op))) !== 0);
    // A cas that happened found its old value: it reads as well as writes.
    const reads = ops.filter((op) => (op.kind === 'read' && op.ok) || (op.kind === 'cas' && happened.includes(op)));
    for (const order of permutations(happened)) {
      if (writeOrder === 'real-time' && !singleLeaderOrder(order)) continue;
      if (sawChoices(order, reads, workload, initial).some((saw) => meetsLevel(ops, order, saw, level))) return true;
    }
  }
  return false;
}

/** For each read (and cas), every position in the order (-1: the initial value) it may have seen. */
function sawChoices(order: readonly Op[], reads: readonly Op[], workload: LevelWorkload, initial: string): Map<Op, number>[] {
  const options = reads.map((read) => {
    if (workload === 'list-append') {
      const list = read.list!;
      const fits = list.length <= order.length && list.every((element, i) => order[i].wrote === element);
      return fits ? [list.length - 1] : [];
    }
    const at = read.kind === 'cas' ? order.indexOf(read) : order.length;
    const positions = order.flatMap((write, i) => (write.wrote === read.seen && i < at ? [i] : []));
    return read.seen === initial ? [-1, ...positions] : positions;
  });
  let choices: Map<Op, number>[] = [new Map()];
  options.forEach((positions, r) => {
    choices = choices.flatMap((chosen) => positions.map((p) => new Map(chosen).set(reads[r], p)));
  });
  return choices;
}

function meetsLevel(ops: readonly Op[], order: readonly Op[], saw: ReadonlyMap<Op, number>, level: ConsistencyLevel): boolean {
  const at = (write: Op) => order.indexOf(write);
  for (const a of ops) {
    for (const b of ops) {
      if (!inSession(a, b)) continue;
      const aRead = saw.get(a);
      const bRead = saw.get(b);
      const bWrite = b.kind === 'read' ? -1 : at(b);
      if (level === 'monotonic-reads' && aRead !== undefined && bRead !== undefined && aRead > bRead) return false;
      if (level === 'read-your-writes' && a.kind !== 'read' && bRead !== undefined && at(a) > bRead) return false;
      if (level === 'monotonic-writes' && a.kind !== 'read' && bWrite >= 0 && at(a) >= bWrite) return false;
      if (level === 'writes-follow-reads' && aRead !== undefined && bWrite >= 0 && aRead >= bWrite) return false;
    }
  }
  return true;
}

/** No write comes after one that real time or a later epoch puts after it. */
function singleLeaderOrder(order: readonly Op[]): boolean {
  for (let i = 0; i < order.length; i++) {
    for (let j = i + 1; j < order.length; j++) {
      const later = order[i];
      const earlier = order[j];
      if (precedes(earlier, later)) return false;
      if (earlier.epoch !== undefined && later.epoch !== undefined && earlier.epoch < later.epoch) return false;
    }
  }
  return true;
}

function* permutations<T>(items: readonly T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield [...items];
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const tail of permutations(rest)) yield [items[i], ...tail];
  }
}
