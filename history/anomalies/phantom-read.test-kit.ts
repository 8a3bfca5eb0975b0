import type { Findings } from '../findings.ts';
import type { History } from '../operation.ts';
import type { DetectOptions } from '../workloads/detect-options.ts';
import { findingsOfKind } from './detect-anomalies.ts';

/** Phantom reads: a read returned a value, or held an element, that no write could have produced. */
export function detectPhantomReads(history: History, options: DetectOptions = {}): Findings {
  return findingsOfKind(history, 'phantom-read', options);
}
