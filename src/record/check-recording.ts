import type { Anomaly } from '../../history/anomaly.ts';
import { readHistoryFile } from '../../history/formats/read-history.ts';
import type { Judgement } from '../../history/judge.ts';
import { isViolation, judgeHistory } from '../../history/judge.ts';
import type { CheckBudget } from '../../history/linearizability/check.ts';
import type { History } from '../../history/operation.ts';
import { renderTimeline } from '../../history/timeline/render-timeline.ts';

// A recorded history is judged exactly like any other: read back from its JSON Lines file by the same
// reader `leaderlog check` uses, and judged by the same function.

export interface RecordingCheck {
  readonly history: History;
  readonly judgement: Judgement;
  /** Proved not linearizable, or an anomaly named. */
  readonly violation: boolean;
  readonly anomalies: readonly Anomaly[];
}

const DEFAULT_BUDGET: CheckBudget = { millis: 60_000 };

export function checkRecording(historyPath: string, budget: CheckBudget = DEFAULT_BUDGET): RecordingCheck {
  const history = readHistoryFile(historyPath);
  const judgement = judgeHistory(history, { budget });
  return { history, judgement, violation: isViolation(judgement), anomalies: judgement.explanation.findings.anomalies };
}

/** The timeline page for a checked recording. */
export function timelinePage({ history, judgement, anomalies }: RecordingCheck, source: string): string {
  return renderTimeline({
    history,
    anomalies,
    ...(judgement.check && { check: judgement.check }),
    verdict: { verdict: judgement.verdict, model: judgement.model },
    source,
    title: `leaderlog: ${source}`,
  });
}
