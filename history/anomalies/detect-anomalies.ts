import type { AnomalyKind } from '../anomaly.ts';
import type { Findings } from '../findings.ts';
import { mergeFindings, NO_FINDINGS } from '../findings.ts';
import type { History } from '../operation.ts';
import type { DetectOptions } from '../workloads/detect-options.ts';
import { recogniseWorkload, workloadDefinition } from '../workloads/workload.ts';
import { dualLeadersFromAnnotations } from './dual-leader.ts';

// One entry per workload to everything the detectors can prove about a history, and the one-kind views
// of it (detectStaleReads and its siblings) that callers wanting a single anomaly use.

/** Every anomaly the detectors prove, and what they could not decide. Histories of other workloads get annotation-based proofs only. */
export function detectAnomalies(history: History, options: DetectOptions = {}): Findings {
  const annotations: Findings = { anomalies: dualLeadersFromAnnotations(history), inconclusive: [] };
  const findings = workloadDefinition(options.workload ?? recogniseWorkload(history))?.findings;
  if (!findings) return annotations.anomalies.length > 0 ? annotations : NO_FINDINGS;
  return mergeFindings([...findings(history, options), annotations]);
}

/** The findings of one kind. */
export function findingsOfKind(history: History, kind: AnomalyKind, options: DetectOptions = {}): Findings {
  const all = detectAnomalies(history, options);
  return { anomalies: all.anomalies.filter((a) => a.kind === kind), inconclusive: all.inconclusive.filter((i) => i.kind === kind) };
}
