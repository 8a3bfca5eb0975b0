import { detectAnomalies } from '../history/anomalies/detect-anomalies.ts';
import type { Findings } from '../history/anomalies/findings.ts';
import type { History } from '../history/operation.ts';
import { buildHistory } from '../history/operation.ts';
import type { Preset, RunResult, Schedule } from '../models/index.ts';
import { runSchedule } from '../models/index.ts';

// What every property looks at: one schedule run through a preset, with the finale (heal, restart,
// settle, read every key) so that whatever the schedule did shows in the history, the invariants
// checked after every step, and the history built from the events.

export interface Observation {
  readonly preset: Preset;
  readonly schedule: Schedule;
  readonly run: RunResult;
  readonly history: History;
  /** Everything the detectors prove about the history, worked out once, on first use. */
  readonly findings: () => Findings;
}

export function observe(preset: Preset, schedule: Schedule): Observation {
  const run = runSchedule(preset, schedule, { finale: true, invariants: 'every-step' });
  const history = buildHistory(run.events);
  let findings: Findings | undefined;
  return { preset, schedule, run, history, findings: () => (findings ??= detectAnomalies(history)) };
}
