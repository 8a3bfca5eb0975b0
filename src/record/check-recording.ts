import type { Inconclusive } from '../../history/anomalies/findings.ts';
import { detectAnomalies } from '../../history/anomalies/detect-anomalies.ts';
import type { Anomaly } from '../../history/anomaly.ts';
import { checkHistory } from '../../history/check.ts';
import type { CheckBudget } from '../../history/check.ts';
import type { History } from '../../history/operation.ts';
import { readHistoryFile } from '../../history/read-history.ts';
import { renderTimeline } from '../../history/timeline/render-timeline.ts';
import type { CheckResult, Verdict } from '../../history/verdict.ts';
import { recogniseWorkload } from '../../history/workloads/workload.ts';
import type { Workload } from '../../history/workloads/workload.ts';

// A recorded history is judged exactly like any other: read back from its JSON Lines file by the same
// reader `leaderlog check` uses, searched for named anomalies, and, for a register, checked for
// linearizability. A list-append history has no linearizability model; its own check (the list-append
// detectors) decides it.

export interface RecordingCheck {
  readonly history: History;
  /** The linearizability check, for register histories. */
  readonly check?: CheckResult;
  readonly anomalies: readonly Anomaly[];
  /** What the detectors looked at but could not decide. */
  readonly inconclusive: readonly Inconclusive[];
  /** invalid when an anomaly is named or the check fails; valid only when proved. */
  readonly verdict: Verdict;
}

const DEFAULT_BUDGET: CheckBudget = { millis: 60_000 };

export function checkRecording(historyPath: string, budget: CheckBudget = DEFAULT_BUDGET): RecordingCheck {
  const history = readHistoryFile(historyPath);
  const workload = recogniseWorkload(history);
  const { anomalies, inconclusive } = detectAnomalies(history, { workload });
  const check = workload === 'register' ? checkHistory(history, { model: 'keyed register', budget }) : undefined;
  return { history, ...(check && { check }), anomalies, inconclusive, verdict: verdictOf(workload, check, anomalies) };
}

function verdictOf(workload: Workload, check: CheckResult | undefined, anomalies: readonly Anomaly[]): Verdict {
  if (anomalies.length > 0 || check?.verdict === 'invalid') return 'invalid';
  if (check) return check.verdict;
  return workload === 'list-append' ? 'valid' : 'unknown';
}

/** The timeline page for a checked recording. */
export function timelinePage(result: RecordingCheck, source: string): string {
  return renderTimeline({ history: result.history, anomalies: result.anomalies, ...(result.check && { check: result.check }), source, title: `leaderlog: ${source}` });
}
