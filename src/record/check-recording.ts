import type { Inconclusive } from '../../history/anomalies/findings.ts';
import { detectAnomalies } from '../../history/anomalies/detect-anomalies.ts';
import type { Anomaly } from '../../history/anomaly.ts';
import { checkHistory } from '../../history/check.ts';
import { checkLinearizable } from '../../history/consistency/linearizable.ts';
import type { CheckBudget } from '../../history/check.ts';
import type { History } from '../../history/operation.ts';
import { readHistoryFile } from '../../history/read-history.ts';
import { renderTimeline } from '../../history/timeline/render-timeline.ts';
import type { CheckResult, Verdict } from '../../history/verdict.ts';
import { recogniseWorkload } from '../../history/workloads/workload.ts';

// A recorded history is judged exactly like any other: read back from its JSON Lines file by the same
// reader `leaderlog check` uses, searched for named anomalies, and checked for linearizability: a
// register by the linearizability checker (whose result the timeline draws), a list-append history by
// the exact order check of history/consistency.

export interface RecordingCheck {
  readonly history: History;
  /** The linearizability checker's result, for register histories. */
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
  if (workload === 'register') {
    const check = checkHistory(history, { model: 'keyed register', budget });
    return { history, check, anomalies, inconclusive, verdict: anomalies.length > 0 ? 'invalid' : check.verdict };
  }
  const linearizable = workload === 'list-append' ? checkLinearizable(history, { workload }).holds : 'unknown';
  const verdict: Verdict = anomalies.length > 0 || linearizable === false ? 'invalid' : linearizable === true ? 'valid' : 'unknown';
  return { history, anomalies, inconclusive, verdict };
}

/** The timeline page for a checked recording. */
export function timelinePage(result: RecordingCheck, source: string): string {
  return renderTimeline({ history: result.history, anomalies: result.anomalies, ...(result.check && { check: result.check }), source, title: `leaderlog: ${source}` });
}
