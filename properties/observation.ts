import { detectAnomalies } from '../history/anomalies/detect-anomalies.ts';
import type { Findings } from '../history/findings.ts';
import type { History } from '../history/operation.ts';
import { buildHistory } from '../history/operation.ts';
import type { Schedule } from '../models/index.ts';
import type { Subject, SubjectRun, Target } from './subject.ts';
import { subjectOf } from './subject.ts';

// What every property looks at: one schedule run through a subject (a preset or a user's system), with
// the finale (heal, restart, settle, read every key) so that whatever the schedule did shows in the
// history, the invariants (when it has any) checked after every step, and the history built from the
// events.

export interface Observation {
  readonly subject: Subject;
  readonly schedule: Schedule;
  readonly run: SubjectRun;
  readonly history: History;
  /** Everything the detectors prove about the history, worked out once, on first use. */
  readonly findings: () => Findings;
}

export function observe(target: Target, schedule: Schedule): Observation {
  const subject = subjectOf(target);
  const run = subject.run(schedule);
  const history = buildHistory(run.events);
  let findings: Findings | undefined;
  return { subject, schedule, run, history, findings: () => (findings ??= detectAnomalies(history)) };
}
