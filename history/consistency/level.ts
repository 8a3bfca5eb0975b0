import type { Key } from '../event.ts';

// The consistency levels leaderlog can check, strongest first, and what a check of one concludes.

export const CONSISTENCY_LEVELS = [
  'linearizable',
  'sequential',
  'read-your-writes',
  'monotonic-reads',
  'monotonic-writes',
  'writes-follow-reads',
] as const;

export type ConsistencyLevel = (typeof CONSISTENCY_LEVELS)[number];

/** The operations that show a level does not hold, and one line saying how. */
export interface LevelEvidence {
  readonly key?: Key;
  /** Operation ids, in the order the reason walks them. */
  readonly ops: readonly number[];
  readonly reason: string;
}

/**
 * holds: proved (never a guess); false: refuted, with evidence; unknown: a search budget ran out, or
 * the history cannot decide (values written more than once), and `reason` says which.
 */
export type LevelResult =
  | { readonly holds: true }
  | { readonly holds: false; readonly evidence: LevelEvidence }
  | { readonly holds: 'unknown'; readonly reason: string };
