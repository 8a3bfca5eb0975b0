import { firstGreater } from '../../algorithms/first-greater.ts';
import type { Anomaly } from '../../anomaly.ts';
import type { Findings, Inconclusive } from '../../findings.ts';
import type { History } from '../../operation.ts';
import { describeValue } from '../../value.ts';
import type { RegisterKey } from './register.ts';
import { INITIAL_WRITE, seenValue } from './register.ts';
import type { RegisterSources } from './sources.ts';

/**
 * Lost writes on one register: acknowledged writes whose effect is gone for good. The judge is the last
 * read (by invocation): when it began after write w completed and returned a value whose every possible
 * writer completed before w began, w was overwritten by nothing newer and then undone: from the first
 * read after which every read returns such an old value, to the final read, w is invisible.
 * Returns the lost writes (indices into part.writes) so stale reads they explain are not told twice.
 */
export function registerLostWrites(
  history: History,
  part: RegisterKey,
  sources: RegisterSources,
): Findings & { readonly lost: ReadonlySet<number> } {
  const lost = new Set<number>();
  const reads = part.reads;
  const final = reads.length - 1;
  const finalSource = sources.sources[final];
  if (final < 0 || !finalSource) return { anomalies: [], inconclusive: [], lost };
  const finalRead = reads[final];
  const seenBefore = (i: number) => sources.sources[i]?.latestComplete ?? Infinity;
  // newest[j]: the latest completion of any possible source of reads j..final: non-increasing in j.
  const newest = new Float64Array(reads.length);
  for (let j = final, max = -Infinity; j >= 0; j--) newest[j] = max = Math.max(max, seenBefore(j));
  const invokes = reads.map((r) => r.invoke);
  const source = latestCandidate(part, finalSource.candidates);
  let earliestSource = Infinity;
  for (const c of finalSource.candidates) earliestSource = Math.min(earliestSource, c === INITIAL_WRITE ? -1 : part.writes[c].complete);
  const finalValue = describeValue(seenValue(history.operations[finalRead.op], finalRead.cas));
  const anomalies: Anomaly[] = [];
  const maybeLost: number[] = [];
  part.writes.forEach((write, index) => {
    if (!write.ok || write.complete >= finalRead.invoke || write.value === finalRead.value) return;
    if (write.invoke <= finalSource.latestComplete) {
      if (write.invoke > earliestSource) maybeLost.push(write.op);
      return;
    }
    lost.add(index);
    const lastNewer = lastIndexAtLeast(newest, write.invoke);
    const from = Math.max(lastNewer + 1, firstGreater(invokes, write.complete));
    const ops = [...(source >= 0 ? [part.writes[source].op] : []), write.op, reads[from].op, finalRead.op];
    anomalies.push({
      kind: 'lost-write',
      ...(part.key !== undefined && { key: part.key }),
      ops: [...new Set(ops)],
      reason:
        `write #${write.op} of ${describeValue(history.operations[write.op].input)} was acknowledged, but from read #${reads[from].op} on ` +
        `every read returned a value written before it began, the final read #${finalRead.op} (${finalValue}) included: the write was lost`,
    });
  });
  const inconclusive: Inconclusive[] =
    maybeLost.length === 0
      ? []
      : [
          {
            kind: 'lost-write',
            ...(part.key !== undefined && { key: part.key }),
            ops: [...maybeLost, finalRead.op],
            reason:
              `the final read #${finalRead.op} returned ${finalValue}, a value written both before and after these ${maybeLost.length} ` +
              'acknowledged writes: if it came from an earlier write they were lost, if from a later one they were overwritten; the history cannot tell',
          },
        ];
  return { anomalies, inconclusive, lost };
}

/** The candidate that completed last (an :info write counts as completing at the end), or INITIAL_WRITE. */
function latestCandidate(part: RegisterKey, candidates: readonly number[]): number {
  let best = INITIAL_WRITE;
  for (const c of candidates) {
    if (c !== INITIAL_WRITE && (best === INITIAL_WRITE || part.writes[c].complete > part.writes[best].complete)) best = c;
  }
  return best;
}

/** The last index j with values[j] >= t in a non-increasing array, or -1. */
function lastIndexAtLeast(values: Float64Array, t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] >= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
