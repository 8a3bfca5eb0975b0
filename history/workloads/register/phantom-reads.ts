import type { Anomaly } from '../../anomaly.ts';
import type { History } from '../../operation.ts';
import { describeValue } from '../../value.ts';
import { failedWriteReason } from '../failed-write-reason.ts';
import type { RegisterKey } from './register.ts';
import { seenValue } from './register.ts';
import type { RegisterSources } from './sources.ts';

/**
 * Reads (and cas ops, for the value they compared) that saw a value no write could have produced: not
 * the initial value, and written by no write that succeeded or may have. When a failed write wrote it,
 * the failure was a lie (the write happened) and the proof includes it.
 */
export function registerPhantomReads(history: History, part: RegisterKey, sources: RegisterSources): Anomaly[] {
  const anomalies: Anomaly[] = [];
  part.reads.forEach((read, i) => {
    if (sources.sources[i]) return;
    const op = history.operations[read.op];
    const seen = describeValue(seenValue(op, read.cas));
    const failed = part.failedWrites.get(read.value);
    const verb = read.cas ? `cas #${read.op} succeeded comparing against` : `read #${read.op} returned`;
    anomalies.push({
      kind: 'phantom-read',
      ...(part.key !== undefined && { key: part.key }),
      ops: failed === undefined ? [read.op] : [failed.op, read.op],
      reason:
        failed === undefined
          ? `${verb} ${seen}, which no write wrote`
          : failedWriteReason(`${verb} ${seen}`, 'write', failed, read.complete),
    });
  });
  return anomalies;
}
