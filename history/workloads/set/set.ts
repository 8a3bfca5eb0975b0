import { firstGreater } from '../../algorithms/first-greater.ts';
import type { Anomaly } from '../../anomaly.ts';
import type { Key } from '../../event.ts';
import { InputError } from '../../input-error.ts';
import type { History, Operation } from '../../operation.ts';
import type { Value } from '../../value.ts';
import { describeValue } from '../../value.ts';
import type { FailedWrite } from '../failed-write-reason.ts';
import { failedWriteReason } from '../failed-write-reason.ts';
import type { ValueId } from '../value-id.ts';
import { valueId } from '../value-id.ts';

// The set check, key by key: `{f: "add", value: e}` adds a unique element, `{f: "read", value: [..]}`
// returns the whole set. Like Jepsen's set-full checker, each element is followed from the moment it is
// known to exist (its add acknowledged, or a read showing it, whichever completed first):
// - stable: every read that began after that shows it;
// - stale: some read that began after that misses it, but the final read shows it (a stale-read);
// - lost: the final read, begun after that, misses it (a lost-write), acknowledged or seen;
// - never read: no read began after it was known;
// - unexpected: a read shows an element never added, or only by a failed add (a phantom-read);
// - recovered: an indeterminate add that some read shows (it happened);
// - duplicated: a read holds an element twice (a duplicate-element).
// Linear in the size of the history plus n log n. Maelstrom's broadcast workload is this one under
// another name: `broadcast` adds an element.
//
// Whether a stale read fails the check is the user's choice, as set-full's `:linearizable?` is: with
// eventual reads (set-full's default) a read may miss what is known to be in the set as long as the
// element shows up for good in the end, so stale reads are reported but allowed; with linearizable reads
// they fail it. Lost, unexpected and duplicated elements fail it either way.

/** How reads of a set are judged: see above. */
export type SetReads = 'linearizable' | 'eventual';

export const SET_READS: readonly SetReads[] = ['eventual', 'linearizable'];

/** The operation names that add an element. */
export const SET_ADDS: ReadonlySet<string> = new Set(['add', 'broadcast']);

export interface SetOptions {
  /** eventual by default, as Jepsen's set-full. */
  readonly reads?: SetReads;
}

interface SetCounts {
  readonly keys: number;
  /** Adds that succeeded or may have. */
  readonly attempted: number;
  readonly acknowledged: number;
  readonly reads: number;
  readonly stable: number;
  readonly stale: number;
  readonly lost: number;
  readonly neverRead: number;
  readonly unexpected: number;
  readonly recovered: number;
  readonly duplicated: number;
}

export interface SetResult {
  /** True when no anomaly was found (stale reads allowed with eventual reads). */
  readonly valid: boolean;
  readonly reads: SetReads;
  /** What fails the check. */
  readonly anomalies: readonly Anomaly[];
  /** Stale reads that eventual reads allow: reported, not failing. */
  readonly allowed: readonly Anomaly[];
  readonly counts: SetCounts;
}

interface SetRead {
  readonly op: number;
  readonly elements: readonly Value[];
  readonly invoke: number;
  readonly complete: number;
}

interface SetKey {
  readonly key?: Key;
  readonly adds: Map<ValueId, Operation>;
  readonly failed: Map<ValueId, FailedWrite>;
  readonly reads: SetRead[];
}

export function checkSet(history: History, options: SetOptions = {}): SetResult {
  const reads = options.reads ?? 'eventual';
  const parts = setKeys(history);
  const tally = { stable: 0, stale: 0, lost: 0, neverRead: 0, unexpected: 0, recovered: 0, duplicated: 0 };
  const found = parts.flatMap((part) => checkSetKey(part, tally));
  const allowed = reads === 'eventual' ? found.filter((anomaly) => anomaly.kind === 'stale-read') : [];
  const anomalies = reads === 'eventual' ? found.filter((anomaly) => anomaly.kind !== 'stale-read') : found;
  let attempted = 0;
  let acknowledged = 0;
  for (const part of parts) {
    attempted += part.adds.size;
    for (const add of part.adds.values()) if (add.result === 'ok') acknowledged++;
  }
  return {
    valid: anomalies.length === 0,
    reads,
    anomalies,
    allowed,
    counts: { keys: parts.length, attempted, acknowledged, reads: parts.reduce((n, p) => n + p.reads.length, 0), ...tally },
  };
}

function setKeys(history: History): SetKey[] {
  const parts = new Map<Key | undefined, SetKey>();
  for (const op of history.operations) {
    let part = parts.get(op.key);
    if (!part) {
      part = { ...(op.key !== undefined && { key: op.key }), adds: new Map(), failed: new Map(), reads: [] };
      parts.set(op.key, part);
    }
    if (op.f === 'read') {
      if (op.result !== 'ok') continue;
      if (op.output !== null && !Array.isArray(op.output)) {
        throw new InputError(`read #${op.id} (process ${op.process}) returned ${describeValue(op.output)}; a set read returns a set`);
      }
      part.reads.push({ op: op.id, elements: op.output ?? [], invoke: op.invokeIndex, complete: op.completeIndex });
      continue;
    }
    if (!SET_ADDS.has(op.f))
      throw new InputError(
        `operation #${op.id} (process ${op.process}) is ${op.f}; a set history has add (or broadcast) and read operations`,
      );
    const element = valueId(op.input);
    if (op.result === 'fail') {
      if (!part.failed.has(element)) part.failed.set(element, { op: op.id, invoke: op.invokeIndex });
      continue;
    }
    const earlier = part.adds.get(element);
    if (earlier) {
      throw new InputError(
        `${describeValue(op.input)} is added twice (operations #${earlier.id} and #${op.id}, process ${op.process}): the set workload needs unique elements`,
      );
    }
    part.adds.set(element, op);
  }
  return [...parts.values()];
}

type Tally = { -readonly [K in 'stable' | 'stale' | 'lost' | 'neverRead' | 'unexpected' | 'recovered' | 'duplicated']: number };

function checkSetKey(part: SetKey, tally: Tally): Anomaly[] {
  const key = part.key !== undefined ? { key: part.key } : {};
  const anomalies: Anomaly[] = [];
  const reads = part.reads;
  const index = new Map<ValueId, number>();
  const ids: ValueId[] = [];
  const known: number[] = [];
  const indexOf = (id: ValueId) => {
    let i = index.get(id);
    if (i === undefined) {
      i = ids.length;
      index.set(id, i);
      ids.push(id);
      const add = part.adds.get(id);
      known.push(add?.result === 'ok' ? add.completeIndex : Infinity);
    }
    return i;
  };
  for (const id of part.adds.keys()) indexOf(id);
  const readIds: Int32Array[] = reads.map((read) => {
    const row = new Int32Array(read.elements.length);
    const seen = new Set<number>();
    let n = 0;
    for (const element of read.elements) {
      const id = valueId(element);
      const i = indexOf(id);
      if (seen.has(i)) {
        tally.duplicated++;
        const add = part.adds.get(id);
        anomalies.push({
          kind: 'duplicate-element',
          ...key,
          ops: add ? [add.id, read.op] : [read.op],
          reason: `read #${read.op} holds ${describeValue(element)} more than once: an add was applied twice`,
        });
        continue;
      }
      seen.add(i);
      row[n++] = i;
      if (read.complete < known[i]) known[i] = read.complete;
    }
    return row.subarray(0, n);
  });
  const unexpected = new Set<number>();
  readIds.forEach((row, r) => {
    for (const i of row) {
      if (part.adds.has(ids[i]) || unexpected.has(i)) continue;
      unexpected.add(i);
      tally.unexpected++;
      const failed = part.failed.get(ids[i]);
      const shown = describeValue(elementValue(reads[r], ids[i]));
      anomalies.push({
        kind: 'phantom-read',
        ...key,
        ops: failed === undefined ? [reads[r].op] : [failed.op, reads[r].op],
        reason:
          failed === undefined
            ? `read #${reads[r].op} holds ${shown}, which was never added`
            : failedWriteReason(`read #${reads[r].op} holds ${shown}`, 'add', failed, reads[r].complete),
      });
    }
  });
  const invokes = reads.map((read) => read.invoke);
  // For each element: the next read (by invocation) expected to show it, the first that missed it, the last that showed it.
  const expected = new Int32Array(ids.length).fill(-1);
  const firstMissing = new Int32Array(ids.length).fill(-1);
  const lastShown = new Int32Array(ids.length).fill(-1);
  readIds.forEach((row, r) => {
    for (const i of row) {
      lastShown[i] = r;
      if (reads[r].invoke < known[i]) continue;
      if (expected[i] < 0) expected[i] = firstGreater(invokes, known[i]);
      if (expected[i] < r && firstMissing[i] < 0) firstMissing[i] = expected[i];
      expected[i] = r + 1;
    }
  });
  const final = reads.length - 1;
  for (let i = 0; i < ids.length; i++) {
    const add = part.adds.get(ids[i]);
    if (!add || unexpected.has(i)) continue;
    if (add.result === 'info' && lastShown[i] >= 0) tally.recovered++;
    if (known[i] === Infinity) continue;
    const after = firstGreater(invokes, known[i]);
    if (after > final) {
      tally.neverRead++;
      continue;
    }
    const next = expected[i] < 0 ? after : expected[i];
    if (firstMissing[i] < 0 && next <= final) firstMissing[i] = next;
    const value = describeValue(add.input);
    if (lastShown[i] !== final) {
      tally.lost++;
      const from = Math.max(lastShown[i] + 1, after);
      const shown = lastShown[i] >= 0 ? [reads[lastShown[i]].op] : [];
      anomalies.push({
        kind: 'lost-write',
        ...key,
        ops: [...new Set([add.id, ...shown, reads[from].op, reads[final].op])],
        reason:
          `add #${add.id} of ${value} ${add.result === 'ok' ? 'was acknowledged' : `was indeterminate but read #${shown[0]} showed it`}, ` +
          `yet it is missing from every read from #${reads[from].op} on, the final read #${reads[final].op} included: the write was lost`,
      });
    } else if (firstMissing[i] >= 0) {
      tally.stale++;
      anomalies.push({
        kind: 'stale-read',
        ...key,
        ops: [add.id, reads[firstMissing[i]].op, reads[final].op],
        reason:
          `read #${reads[firstMissing[i]].op} is missing ${value}, which was known to be in the set before it began; ` +
          `the final read #${reads[final].op} shows it: a transient stale read`,
      });
    } else tally.stable++;
  }
  return anomalies;
}

function elementValue(read: SetRead, id: ValueId): Value {
  return read.elements.find((element) => valueId(element) === id) ?? null;
}
