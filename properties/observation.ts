import { detectAnomalies } from '../history/anomalies/detect-anomalies.ts';
import type { Findings } from '../history/findings.ts';
import type { Judgement } from '../history/judge.ts';
import { judgeHistory } from '../history/judge.ts';
import type { History } from '../history/operation.ts';
import { buildHistory } from '../history/operation.ts';
import type { Schedule } from '../models/index.ts';
import type { Subject, SubjectRun, Target } from './subject.ts';
import { subjectOf } from './subject.ts';

// What every property looks at: one schedule run through a subject (a preset or a user's system), with
// the finale (heal, restart, settle, read every key) so that whatever the schedule did shows in the
// history, the invariants (when it has any) checked after every step, and the history built from the
// events, judged as `leaderlog check` judges any history (history/judge.ts), with the level the subject
// promises.

/** Search steps per key for the linearizability search: generous for model histories of tens of operations. */
const SEARCH_STEPS = 200_000;

export interface Observation {
  readonly subject: Subject;
  readonly schedule: Schedule;
  readonly run: SubjectRun;
  readonly history: History;
  /** The judgement of the history, with the subject's promised level, worked out once, on first use. */
  readonly judgement: () => Judgement;
  /**
   * What the detectors prove about the history, worked out once, on first use; the judgement reuses them.
   * Apart from the judgement: the properties that read only the anomalies (and shrinking them) need no search.
   */
  readonly findings: () => Findings;
}

export function observe(target: Target, schedule: Schedule): Observation {
  const subject = subjectOf(target);
  const run = subject.run(schedule);
  const history = buildHistory(run.events);
  let findings: Findings | undefined;
  let judgement: Judgement | undefined;
  const found = () => (findings ??= detectAnomalies(history));
  const judged = () =>
    (judgement ??= judgeHistory(history, {
      consistency: subject.promises,
      budget: { steps: SEARCH_STEPS },
      cores: false,
      findings: found(),
    }));
  return { subject, schedule, run, history, judgement: judged, findings: found };
}
