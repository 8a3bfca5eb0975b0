import type { Findings } from '../findings.ts';
import type { History } from '../operation.ts';
import type { DetectOptions } from '../workloads/detect-options.ts';
import { findingsOfKind } from './detect-anomalies.ts';

/** Lost writes: an acknowledged write whose effect disappears for good, final reads included (see workloads/register/lost-writes.ts, and the list-append and set checks). */
export function detectLostWrites(history: History, options: DetectOptions = {}): Findings {
  return findingsOfKind(history, 'lost-write', options);
}
