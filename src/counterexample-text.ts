import type { Anomaly } from '../history/anomaly.ts';
import { operationLine } from '../history/explain/operation.ts';
import type { History } from '../history/operation.ts';
import type { Counterexample } from '../properties/index.ts';
import { replayCommand } from '../properties/index.ts';
import { runSteps } from './run-steps.ts';

// A shrunk counterexample as text a person reads in a failed test: what broke, the run step by step,
// the operations that prove it, and the command that replays it.

export function counterexampleText(counterexample: Counterexample, file?: string): string[] {
  const { verdict, observation, schedule } = counterexample;
  const steps = `${schedule.length} step${schedule.length === 1 ? '' : 's'}`;
  const what = verdict.status === 'violated' ? verdict.names.join(', ') : `UNKNOWN (${verdict.reason})`;
  const out = [
    `${counterexample.property}: ${what}, shrunk to ${steps} (run ${counterexample.run} of seed ${counterexample.seed}, path ${counterexample.path})`,
  ];
  if (counterexample.reproduced)
    out.push(
      `  It failed so in ${counterexample.reproduced.failed} of ${counterexample.reproduced.of} re-runs: its nodes keep their own time, so a run does not repeat exactly.`,
    );
  if (verdict.status === 'violated') for (const reason of verdict.reasons) out.push(`  ${reason}`);
  out.push('', '  Timeline (step, what the schedule did, what clients and nodes saw):');
  out.push(
    ...runSteps({ trace: observation.run.trace, events: observation.run.events, scheduled: schedule.length }).map((line) => `  ${line}`),
  );
  const anomalies = verdict.status === 'violated' && verdict.anomalies.length > 0 ? verdict.anomalies : observation.findings().anomalies;
  if (anomalies.length > 0) {
    out.push('', '  Proof (the operations that show it):');
    for (const anomaly of anomalies) out.push(...explainAnomaly(observation.history, anomaly).map((line) => `  ${line}`));
  }
  out.push(
    '',
    file === undefined ? '  (give outDir to write it to a file that `leaderlog replay` runs again)' : `  Replay: ${replayCommand(file)}`,
  );
  return out;
}

export function explainAnomaly(history: History, anomaly: Anomaly): string[] {
  const where = anomaly.key !== undefined ? ` on key ${anomaly.key}` : '';
  return [
    `  ${anomaly.kind}${where}: ${anomaly.reason}`,
    ...anomaly.ops.map((id) => `      ${operationLine(history.operations[id]!, { timeUnit: 'steps' })}`),
  ];
}
