import type { History } from '../operation.ts';
import type { ConsistencyOptions } from './consistency-options.ts';
import type { ConsistencyLevel, LevelResult } from './level.ts';
import { checkLinearizable } from './linearizable.ts';
import { checkMonotonicReads } from './monotonic-reads.ts';
import { checkMonotonicWrites } from './monotonic-writes.ts';
import { checkReadYourWrites } from './read-your-writes.ts';
import { checkSequential } from './sequential.ts';
import { checkWritesFollowReads } from './writes-follow-reads.ts';

const CHECKS: Readonly<Record<ConsistencyLevel, (history: History, options: ConsistencyOptions) => LevelResult>> = {
  linearizable: checkLinearizable,
  sequential: checkSequential,
  'read-your-writes': checkReadYourWrites,
  'monotonic-reads': checkMonotonicReads,
  'monotonic-writes': checkMonotonicWrites,
  'writes-follow-reads': checkWritesFollowReads,
};

/**
 * Does the history meet `level`? What `leaderlog check --consistency LEVEL` asks. A level left unknown
 * (a search budget ran out, values written more than once) is settled by a proof of a stronger one that
 * implies it: the linearizability proof passed in `options.linearizability`, or, for a session
 * guarantee under the free write order, a proof of sequential consistency. Throws InputError when the level is not defined for the
 * history's workload.
 */
export function checkConsistency(history: History, level: ConsistencyLevel, options: ConsistencyOptions = {}): LevelResult {
  const result = CHECKS[level](history, options);
  if (result.holds !== 'unknown' || level === 'linearizable') return result;
  // A linearization orders writes by real time, so it settles a guarantee under either write order.
  if (options.linearizability?.verdict === 'valid') return { holds: true };
  // Sequential consistency ignores real time: it implies the guarantees under the free write order only.
  if (level === 'sequential' || options.writeOrder !== 'free') return result;
  return checkSequential(history, options).holds === true ? { holds: true } : result;
}
