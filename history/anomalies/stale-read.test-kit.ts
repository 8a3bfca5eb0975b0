import type { Findings } from '../findings.ts';
import type { History } from '../operation.ts';
import type { DetectOptions } from '../workloads/detect-options.ts';
import { findingsOfKind } from './detect-anomalies.ts';

/** Stale reads: a read returned data already overwritten by a write that completed before the read began (see workloads/register/stale-reads.ts, and the list-append and set checks). */
export function detectStaleReads(history: History, options: DetectOptions = {}): Findings {
  return findingsOfKind(history, 'stale-read', options);
}
