import { operationJson } from '../history/explain/operation.ts';
import type { ParsedCounterexample, ReplayResult } from '../properties/index.ts';
import { explainAnomaly } from './counterexample-text.ts';
import { ExitCode } from './exit-code.ts';
import { runSteps } from './run-steps.ts';

// What `leaderlog replay` prints: the counterexample's run again as a timeline, whether its history is
// still the saved one, the property's verdict now, and the anomalies with the operations that prove them.

export interface ReplayReport {
  readonly file: string;
  readonly parsed: ParsedCounterexample;
  readonly result: ReplayResult;
}

/** 1 the violation reproduces, 0 it no longer does, 2 the check is (still) unknown. */
export function replayExitCode({ result }: ReplayReport): 0 | 1 | 2 {
  return result.verdict.status === 'violated' ? ExitCode.violation : result.verdict.status === 'unknown' ? ExitCode.unknown : ExitCode.ok;
}

export function formatReplayReport(report: ReplayReport): string {
  const { file, parsed, result } = report;
  const { content } = parsed;
  const { observation, verdict } = result;
  const { subject } = observation;
  const steps = content.schedule.length;
  const out: string[] = [
    `${file}: ${subject.name}, property ${content.property} (seed ${content.seed}, path ${content.path})`,
    `${steps} step${steps === 1 ? '' : 's'}, then the finale.${subject.story === '' ? '' : ` ${subject.story}`}`,
    '',
    'Timeline (step, what the schedule did, what clients and nodes saw):',
    ...runSteps({ trace: observation.run.trace, events: observation.run.events, scheduled: steps }),
    '',
    historyLine(report),
    '',
  ];
  if (verdict.status === 'held') {
    out.push(
      `${content.property}: holds now: the saved ${content.verdict.status === 'violated' ? `violation (${content.verdict.names.join(', ')})` : 'unknown verdict'} no longer reproduces.`,
    );
  } else if (verdict.status === 'unknown') {
    out.push(`${content.property}: UNKNOWN: ${verdict.reason}`);
  } else if (verdict.status === 'not-applicable') {
    out.push(`${content.property}: NOT APPLICABLE: ${verdict.reason}`);
  } else {
    out.push(`${content.property}: VIOLATED: ${verdict.names.join(', ')}`);
    for (const reason of verdict.reasons) out.push(`  ${reason}`);
    if (!result.sameFailure)
      out.push(
        `  (saved as ${content.verdict.status}${content.verdict.names.length > 0 ? `: ${content.verdict.names.join(', ')}` : ''}: it fails differently now)`,
      );
  }
  const anomalies = observation.findings().anomalies;
  if (anomalies.length > 0) {
    out.push('', 'Anomalies in this history, with the operations that prove them:');
    for (const anomaly of anomalies) out.push(...explainAnomaly(observation.history, anomaly));
  }
  const code = replayExitCode(report);
  out.push(
    '',
    code === 1
      ? 'The violation reproduces (exit 1).'
      : code === 0
        ? 'The violation no longer reproduces (exit 0).'
        : 'Still unknown (exit 2).',
  );
  return `${out.join('\n')}\n`;
}

function historyLine({ parsed, result }: ReplayReport): string {
  const saved = parsed.content.history.length;
  if (result.historyDiffers === null) return `History: the same as saved, event for event (${saved} events).`;
  const now = result.observation.run.events.length;
  return `History: DIFFERS from the saved one from event ${result.historyDiffers} on (saved ${saved} events, now ${now}): the model or the file changed since it was saved.`;
}

export function replayReportJson(report: ReplayReport): unknown {
  const { file, parsed, result } = report;
  const { content } = parsed;
  const { observation, verdict } = result;
  const history = observation.history;
  return {
    file,
    preset: observation.subject.name,
    ...(content.system && { system: content.system }),
    property: content.property,
    seed: content.seed,
    path: content.path,
    steps: content.schedule.length,
    history: {
      sameAsSaved: result.historyDiffers === null,
      ...(result.historyDiffers !== null && { firstDifference: result.historyDiffers }),
      events: observation.run.events.length,
    },
    verdict:
      verdict.status === 'violated'
        ? { status: 'violated', names: verdict.names, reasons: verdict.reasons }
        : verdict.status === 'unknown' || verdict.status === 'not-applicable'
          ? { status: verdict.status, reasons: [verdict.reason] }
          : { status: 'held' },
    saved: content.verdict,
    sameFailure: result.sameFailure,
    anomalies: observation
      .findings()
      .anomalies.map((a) => ({ ...a, operations: a.ops.map((id) => operationJson(history.operations[id])) })),
    exitCode: replayExitCode(report),
  };
}
