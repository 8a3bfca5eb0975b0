import type { AnomalyKind } from '../anomaly.ts';
import type { History } from '../operation.ts';
import { checkListAppend } from '../workloads/list-append/list-append.ts';
import { checkSet } from '../workloads/set/set.ts';
import { recogniseWorkload } from '../workloads/workload.ts';
import type { DetectOptions } from '../workloads/detect-options.ts';
import type { Findings } from '../findings.ts';
import { NO_FINDINGS, mergeFindings } from '../findings.ts';
import { dualLeadersFromAnnotations } from './dual-leader.ts';
import { emptyRestartLostWrites } from '../workloads/register/empty-restart.ts';
import { lostAppends } from '../workloads/key-value/lost-appends.ts';
import { registerFindings } from '../workloads/register/anomalies.ts';

// One entry per workload to everything the detectors can prove about a history, and the one-kind views
// of it (detectStaleReads and its siblings) that callers wanting a single anomaly use.

/** Every anomaly the detectors prove, and what they could not decide. Histories of other workloads get annotation-based proofs only. */
export function detectAnomalies(history: History, options: DetectOptions = {}): Findings {
  const annotations: Findings = { anomalies: dualLeadersFromAnnotations(history), inconclusive: [] };
  switch (options.workload ?? recogniseWorkload(history)) {
    case 'register': {
      const found = registerFindings(history, options);
      // Overwrites hide an empty restart's losses from the reads: the restart itself names them.
      const emptied: Findings = { anomalies: emptyRestartLostWrites(history), inconclusive: [] };
      return mergeFindings([found.lost, emptied, found.stale, { anomalies: found.phantom, inconclusive: [] }, annotations]);
    }
    case 'list-append':
      return mergeFindings([{ anomalies: checkListAppend(history).anomalies, inconclusive: [] }, annotations]);
    case 'key-value':
      return mergeFindings([{ anomalies: lostAppends(history), inconclusive: [] }, annotations]);
    case 'set':
      return mergeFindings([{ anomalies: (options.set ?? checkSet(history)).anomalies, inconclusive: [] }, annotations]);
    case 'other':
      return annotations.anomalies.length > 0 ? annotations : NO_FINDINGS;
  }
}

/** The findings of one kind. */
export function findingsOfKind(history: History, kind: AnomalyKind, options: DetectOptions = {}): Findings {
  const all = detectAnomalies(history, options);
  return { anomalies: all.anomalies.filter((a) => a.kind === kind), inconclusive: all.inconclusive.filter((i) => i.kind === kind) };
}
