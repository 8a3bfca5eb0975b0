import type { Key } from './event.ts';
import type { Value } from './value.ts';

// What a linearizability check concludes, as data. The CLI renders it as text, JSON or a page.

/** valid: proved linearizable; invalid: proved not; unknown: the budget ran out before either. */
export type Verdict = 'valid' | 'invalid' | 'unknown';

export interface PartitionVerdict {
  /** The key checked, for a keyed model; absent for a whole-history check. */
  readonly key?: Key;
  readonly verdict: Verdict;
  /** Operations in this partition (failed ones excluded). */
  readonly operations: number;
  /** Search steps spent. */
  readonly steps: number;
  /** valid: one linearization, as operation ids in linearization order (info ops that never took effect left out). */
  readonly linearization?: readonly number[];
  /** invalid: the longest linearizable prefix found, as operation ids in order... */
  readonly longestPrefix?: readonly number[];
  /** ...the model state after it... */
  readonly stateAfterPrefix?: string;
  /** ...and the operations that could not be placed next: each must come next by real time, and none can. */
  readonly stuck?: readonly number[];
  /** unknown: which budget ran out. */
  readonly exhausted?: 'steps' | 'time';
}

export interface CheckResult {
  readonly verdict: Verdict;
  /** The model checked against, e.g. "cas-register" or "keyed cas-register". */
  readonly model: string;
  /** The value the model started at, when one was given (nil otherwise, as in Knossos). */
  readonly initialValue?: Value;
  /** In the order the keys first appear; with `firstFailure`, only the keys checked. */
  readonly partitions: readonly PartitionVerdict[];
  readonly steps: number;
  /** Present when failed cas ops were read as observations (check's failedCas 'observe'). */
  readonly failedCas?: 'observe';
  /** With `firstFailure`: keys left unchecked once one was proved not linearizable. */
  readonly unchecked?: number;
}
