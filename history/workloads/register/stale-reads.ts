import { firstGreater } from '../../algorithms/first-greater.ts';
import { MaxTree } from '../../algorithms/max-tree.ts';
import type { Anomaly } from '../../anomaly.ts';
import type { Findings, Inconclusive } from '../../findings.ts';
import type { History } from '../../operation.ts';
import { describeValue } from '../../value.ts';
import type { RegisterKey } from './register.ts';
import { INITIAL_WRITE, seenValue } from './register.ts';
import type { RegisterSources } from './sources.ts';

/**
 * Stale reads on one register: a read (or a cas, for the value it compared) began after every write
 * that could have produced its value was overwritten by a write that had completed. With unique values
 * that is one write, its overwriter and the read. A later read that returns something newer than the
 * overwriter shows the staleness was transient; when none does, the overwriting write was lost, and
 * registerLostWrites tells that story instead (`lost` holds those writes).
 *
 * Where a value was written more than once, the read is stale only if every write of the value was
 * overwritten before it began; when only some were, which write it saw is unknowable, and the read is
 * reported as inconclusive, never as an anomaly.
 */
export function registerStaleReads(history: History, part: RegisterKey, sources: RegisterSources, lost: ReadonlySet<number>): Findings {
  const reads = part.reads;
  const invokes = reads.map((r) => r.invoke);
  const newest = new MaxTree(reads.map((_, i) => sources.sources[i]?.latestComplete ?? -Infinity));
  const key = part.key !== undefined ? { key: part.key } : {};
  const anomalies: Anomaly[] = [];
  const ambiguous: number[] = [];
  reads.forEach((read, i) => {
    const source = sources.sources[i];
    if (!source) return;
    const overwrites = source.candidates.map((c) => sources.overwriteOf(c));
    const stale = overwrites.filter((o) => o !== undefined && o.at < read.invoke);
    if (stale.length === 0) return;
    if (stale.length < overwrites.length) {
      ambiguous.push(read.op);
      return;
    }
    const seen = describeValue(seenValue(history.operations[read.op], read.cas));
    const verb = read.cas ? `cas #${read.op} compared against` : `read #${read.op} returned`;
    if (source.candidates.length > 1) {
      const ops = source.candidates
        .flatMap((c, k) => [part.writes[c]?.op, part.writes[overwrites[k]!.by].op])
        .filter((op) => op !== undefined);
      anomalies.push({
        kind: 'stale-read',
        ...key,
        ops: [...new Set([...ops, read.op])],
        reason: `${verb} ${seen}, but every write of ${seen} had been overwritten by a completed write before it began: a stale read`,
      });
      return;
    }
    const overwrite = overwrites[0]!;
    if (lost.has(overwrite.by)) return;
    const candidate = source.candidates[0];
    const newer = part.writes[overwrite.by];
    const later = newest.firstAtLeast(firstGreater(invokes, read.complete), newer.invoke);
    const origin = candidate === INITIAL_WRITE ? 'the initial value' : `written by #${part.writes[candidate].op}`;
    anomalies.push({
      kind: 'stale-read',
      ...key,
      ops: [
        ...(candidate === INITIAL_WRITE ? [] : [part.writes[candidate].op]),
        newer.op,
        read.op,
        ...(later >= 0 ? [reads[later].op] : []),
      ],
      reason:
        `${verb} ${seen} (${origin}), but write #${newer.op} of ${describeValue(history.operations[newer.op].input)} had completed before it began` +
        (later >= 0 ? `; read #${reads[later].op} later saw newer data: a transient stale read` : ': a stale read'),
    });
  });
  const inconclusive: Inconclusive[] =
    ambiguous.length === 0
      ? []
      : [
          {
            kind: 'stale-read',
            ...key,
            ops: ambiguous,
            reason:
              `${ambiguous.length} read(s) returned a value written more than once, some of whose writes had been overwritten before the read began: ` +
              'each is stale if it saw an overwritten write and fresh if it saw another; the history cannot tell which',
          },
        ];
  return { anomalies, inconclusive };
}
