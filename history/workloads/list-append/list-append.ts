import { firstGreater } from '../../algorithms/first-greater.ts';
import { MaxTree } from '../../algorithms/max-tree.ts';
import type { Anomaly } from '../../anomaly.ts';
import type { Key } from '../../event.ts';
import type { History } from '../../operation.ts';
import type { Value } from '../../value.ts';
import { describeValue } from '../../value.ts';
import { failedWriteReason } from '../failed-write-reason.ts';
import type { ValueId } from '../value-id.ts';
import { valueId } from '../value-id.ts';
import type { ListAppendKey, ListRead } from './ops.ts';
import { listAppendKeys } from './ops.ts';

// The list-append check, key by key, in time linear in the size of the history (every element of
// every read is looked at a constant number of times) plus n log n for the stale reads:
// - phantom-read: a read holds an element never appended (or only by a failed append);
// - duplicate-element: a read holds an element twice;
// - dual-leader: two reads of which neither is a prefix of the other, so no one order of appends
//   explains both (Elle's incompatible-order): the log forked, as when two leaders both accept appends;
// - lost-write: an append known to exist (acknowledged, or shown by a read) missing from the final read
//   (which began after it was known) and from every read after some point;
// - stale-read: a read missing an append that completed before it began, which a later read does show.
// The longest clean read fixes the one order every other read must be a prefix of.

interface ListAppendCounts {
  readonly keys: number;
  readonly appends: { readonly ok: number; readonly info: number; readonly fail: number };
  readonly reads: number;
  /** Indeterminate appends some read shows: they happened. */
  readonly recovered: number;
}

export interface ListAppendResult {
  /** True when no anomaly was found. */
  readonly valid: boolean;
  readonly anomalies: readonly Anomaly[];
  readonly counts: ListAppendCounts;
}

/** The analysis of one key, for the checks built on it (consistency levels need the order). */
export interface ListAppendKeyAnalysis {
  readonly part: ListAppendKey;
  /** The longest read without phantom or repeated elements: the order of appends every read must follow. */
  readonly longest?: ListRead;
  /** Element ids of `longest`, in order. */
  readonly order: readonly ValueId[];
  /** Per read: is it a prefix of the order (and so free of phantoms and repeats)? */
  readonly prefix: readonly boolean[];
  readonly anomalies: readonly Anomaly[];
}

export function checkListAppend(history: History): ListAppendResult {
  const parts = listAppendKeys(history);
  const analyses = parts.map((part) => analyseListKey(part));
  const anomalies = analyses.flatMap((a) => [...a.anomalies, ...lostAndStale(history, a)]);
  let ok = 0;
  let info = 0;
  let recovered = 0;
  for (const a of analyses) {
    const seen = new Set(a.order);
    for (const append of a.part.appends) {
      if (append.ok) ok++;
      else {
        info++;
        if (seen.has(append.element)) recovered++;
      }
    }
  }
  return {
    valid: anomalies.length === 0,
    anomalies,
    counts: {
      keys: parts.length,
      appends: { ok, info, fail: parts.reduce((n, p) => n + p.failed.size, 0) },
      reads: parts.reduce((n, p) => n + p.reads.length, 0),
      recovered,
    },
  };
}

/** Phantoms, repeats and forks of one key, and the order of appends its reads reveal. */
export function analyseListKey(part: ListAppendKey): ListAppendKeyAnalysis {
  const key = part.key !== undefined ? { key: part.key } : {};
  const appended = new Map<ValueId, number>();
  part.appends.forEach((a, i) => {
    appended.set(a.element, i);
  });
  const anomalies: Anomaly[] = [];
  const byLength = part.reads.map((_, i) => i).sort((a, b) => part.reads[b].elements.length - part.reads[a].elements.length);
  let longest: ListRead | undefined;
  let order: ValueId[] = [];
  const checked = new Set<number>();
  const troubled = new Set<number>();
  for (const i of byLength) {
    checked.add(i);
    const problems = elementProblems(part, part.reads[i], appended, key);
    anomalies.push(...problems);
    if (problems.length > 0) troubled.add(i);
    else {
      longest = part.reads[i];
      order = longest.elements.map(valueId);
      break;
    }
  }
  const prefix = part.reads.map((read) => read === longest || (longest !== undefined && isPrefix(read.elements, order)));
  const forks = new Map<string, { read: ListRead; at: number }>();
  part.reads.forEach((read, i) => {
    if (prefix[i] || troubled.has(i)) return;
    if (!checked.has(i)) {
      const problems = elementProblems(part, read, appended, key);
      anomalies.push(...problems);
      if (problems.length > 0) return;
    }
    const at = divergence(read.elements, order);
    const branch = `${at} ${String(valueId(read.elements[at]))}`;
    const known = forks.get(branch);
    if (!known || known.read.elements.length < read.elements.length) forks.set(branch, { read, at });
  });
  for (const { read, at } of forks.values()) {
    const [first, second] = read.invoke < longest!.invoke ? [read, longest!] : [longest!, read];
    anomalies.push({
      kind: 'dual-leader',
      ...key,
      ops: [first.op, second.op],
      reason:
        `the log${part.key !== undefined ? ` of key ${part.key}` : ''} forked after ${at} element(s): read #${first.op} has ` +
        `${describeValue(first.elements[at] ?? null)} there and read #${second.op} has ${describeValue(second.elements[at] ?? null)}, and neither read ` +
        'is a prefix of the other: two leaders appended different entries at the same position; ' +
        `${[first, second].map((r) => forkedEntryText(part, r.elements[at], appended)).join('; ')}`,
    });
  }
  return { part, ...(longest && { longest }), order, prefix, anomalies };
}

/** Whether the entry a branch holds at the fork was ever acknowledged to the client that appended it. */
function forkedEntryText(part: ListAppendKey, element: Value | undefined, appended: ReadonlyMap<ValueId, number>): string {
  if (element === undefined) return 'the other branch ends there';
  const index = appended.get(valueId(element));
  if (index === undefined) return `${describeValue(element)} was never appended`;
  const append = part.appends[index];
  return append.ok
    ? `${describeValue(element)} was acknowledged (append #${append.op})`
    : `${describeValue(element)} was never acknowledged (append #${append.op} is indeterminate)`;
}

function elementProblems(part: ListAppendKey, read: ListRead, appended: ReadonlyMap<ValueId, number>, key: { key?: Key }): Anomaly[] {
  const problems: Anomaly[] = [];
  const seen = new Set<ValueId>();
  for (const element of read.elements) {
    const id = valueId(element);
    if (seen.has(id)) {
      const append = appended.get(id);
      problems.push({
        kind: 'duplicate-element',
        ...key,
        ops: append === undefined ? [read.op] : [part.appends[append].op, read.op],
        reason: `read #${read.op} holds ${describeValue(element)} more than once, though it was appended once: an entry was applied twice`,
      });
      continue;
    }
    seen.add(id);
    if (appended.has(id)) continue;
    const failed = part.failed.get(id);
    problems.push({
      kind: 'phantom-read',
      ...key,
      ops: failed === undefined ? [read.op] : [failed.op, read.op],
      reason:
        failed === undefined
          ? `read #${read.op} holds ${describeValue(element)}, which was never appended`
          : failedWriteReason(`read #${read.op} holds ${describeValue(element)}`, 'append', failed, read.complete),
    });
  }
  return problems;
}

function isPrefix(elements: readonly Value[], order: readonly ValueId[]): boolean {
  if (elements.length > order.length) return false;
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i];
    if ((typeof element === 'number' ? element : valueId(element)) !== order[i]) return false;
  }
  return true;
}

function divergence(elements: readonly Value[], order: readonly ValueId[]): number {
  let i = 0;
  while (i < elements.length && i < order.length && valueId(elements[i]) === order[i]) i++;
  return i;
}

/**
 * Lost appends (missing from the final read and from every read after some point) and stale reads
 * (a read missing an append that completed before it began, when the append is not lost).
 */
function lostAndStale(history: History, analysis: ListAppendKeyAnalysis): Anomaly[] {
  const { part, order, prefix } = analysis;
  const reads = part.reads;
  if (reads.length === 0) return [];
  const key = part.key !== undefined ? { key: part.key } : {};
  const position = new Map<ValueId, number>();
  order.forEach((id, i) => {
    position.set(id, i);
  });
  const lastSeen = lastReadHolding(analysis);
  const final = reads.length - 1;
  const finalRead = reads[final];
  const finalHolds = prefix[final]
    ? (id: ValueId) => (position.get(id) ?? Infinity) < finalRead.elements.length
    : (
        (ids: Set<ValueId>) => (id: ValueId) =>
          ids.has(id)
      )(new Set(finalRead.elements.map(valueId)));
  const invokes = reads.map((r) => r.invoke);
  const anomalies: Anomaly[] = [];
  const lost = new Set<number>();
  const shownBy = firstCompletionShowing(analysis);
  part.appends.forEach((append, index) => {
    // Known to exist from its acknowledgement, or (if indeterminate) from the first read that showed it.
    const known = append.ok ? append.complete : (shownBy[position.get(append.element) ?? -1] ?? Infinity);
    if (known >= finalRead.invoke || finalHolds(append.element)) return;
    lost.add(index);
    const seenAt = lastSeen.get(append.element) ?? -1;
    const from = Math.max(seenAt + 1, firstGreater(invokes, known));
    const shown = seenAt >= 0 ? `, read #${reads[seenAt].op} showed it,` : '';
    anomalies.push({
      kind: 'lost-write',
      ...key,
      ops: [...new Set([append.op, ...(seenAt >= 0 ? [reads[seenAt].op] : []), reads[from].op, finalRead.op])],
      reason:
        `append #${append.op} of ${describeValue(history.operations[append.op].input)} ${append.ok ? 'was acknowledged' : 'was indeterminate'}${shown} ` +
        `but it is missing from every read from #${reads[from].op} on, the final read #${finalRead.op} included: the write was lost`,
    });
  });
  anomalies.push(...staleReads(history, analysis, position, lastSeen, lost, key));
  return anomalies;
}

/** For each position of the order, the earliest completion of a read that shows it. */
function firstCompletionShowing(analysis: ListAppendKeyAnalysis): number[] {
  const earliest = new Array<number>(analysis.order.length + 1).fill(Infinity);
  analysis.part.reads.forEach((read, i) => {
    if (analysis.prefix[i]) earliest[read.elements.length] = Math.min(earliest[read.elements.length], read.complete);
  });
  // A read of length n shows every position below n.
  for (let p = analysis.order.length - 1; p >= 0; p--) earliest[p] = Math.min(earliest[p], earliest[p + 1]);
  return earliest.slice(1);
}

/** For each appended element, the index of the last read (by invocation) that holds it. */
function lastReadHolding(analysis: ListAppendKeyAnalysis): Map<ValueId, number> {
  const { part, order, prefix } = analysis;
  const last = new Map<ValueId, number>();
  let covered = 0;
  for (let i = part.reads.length - 1; i >= 0; i--) {
    if (!prefix[i]) continue;
    const length = part.reads[i].elements.length;
    for (; covered < length; covered++) last.set(order[covered], i);
  }
  part.reads.forEach((read, i) => {
    if (prefix[i]) return;
    for (const element of read.elements) {
      const id = valueId(element);
      if ((last.get(id) ?? -1) < i) last.set(id, i);
    }
  });
  return last;
}

function staleReads(
  history: History,
  analysis: ListAppendKeyAnalysis,
  position: ReadonlyMap<ValueId, number>,
  lastSeen: ReadonlyMap<ValueId, number>,
  lost: ReadonlySet<number>,
  key: { key?: Key },
): Anomaly[] {
  const { part, order, prefix } = analysis;
  const reads = part.reads;
  const byCompletion = part.appends
    .map((_, i) => i)
    .filter((i) => part.appends[i].ok && position.has(part.appends[i].element))
    .sort((a, b) => part.appends[a].complete - part.appends[b].complete);
  const done = new MaxTree(order.length);
  const appendAt = new Map<number, number>();
  const anomalies: Anomaly[] = [];
  let next = 0;
  reads.forEach((read, i) => {
    for (; next < byCompletion.length && part.appends[byCompletion[next]].complete < read.invoke; next++) {
      const index = byCompletion[next];
      const at = position.get(part.appends[index].element)!;
      done.set(at, 1);
      appendAt.set(at, index);
    }
    if (!prefix[i]) return;
    const missing = done.firstAtLeast(read.elements.length, 1);
    if (missing < 0) return;
    const index = appendAt.get(missing)!;
    if (lost.has(index)) return;
    const append = part.appends[index];
    const seenAt = lastSeen.get(append.element) ?? -1;
    const later = seenAt >= 0 && reads[seenAt].invoke > read.complete ? reads[seenAt] : undefined;
    anomalies.push({
      kind: 'stale-read',
      ...key,
      ops: [append.op, read.op, ...(later ? [later.op] : [])],
      reason:
        `read #${read.op} is missing ${describeValue(history.operations[append.op].input)}, whose append #${append.op} had completed before it began` +
        (later ? `; read #${later.op} later showed it: a transient stale read` : ': a stale read'),
    });
  });
  return anomalies;
}
