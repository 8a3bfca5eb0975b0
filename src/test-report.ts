import type pc from 'picocolors';
import type { CampaignOutcome, PresetJudgement, PresetVerdict, PropertyOutcome } from '../properties/index.ts';
import { campaignStatus, replayCommand } from '../properties/index.ts';
import { ExitCode } from './exit-code.ts';

// What `leaderlog test` prints: a table of preset x property, each cell "held over N runs" or
// "counterexample after K runs, shrunk to M steps: <names>", each preset's verdict against what it is
// known for, the files to replay, and a summary. Text for people, JSON for CI; neither holds a time
// unless asked, so the same seed prints the same bytes.

export interface PresetReport {
  readonly outcome: CampaignOutcome;
  readonly judgement: PresetJudgement;
  /** Counterexample files written, by property. */
  readonly files: ReadonlyMap<string, string>;
  /** Seconds the preset took, when timing was asked for. */
  readonly seconds?: number;
}

export interface TestReport {
  readonly seed: number;
  readonly runs: number;
  readonly shard: { readonly index: number; readonly count: number };
  readonly presets: readonly PresetReport[];
}

export const VERDICT_TEXT: Readonly<Record<PresetVerdict, string>> = {
  held: 'held, as expected',
  caught: 'caught, as expected',
  failed: 'FAILED: a correct design has a counterexample',
  missed: 'MISSED: not caught within the runs',
  unknown: 'unknown: no counterexample, but a check ran out of budget',
};

export function exitCodeOf(report: TestReport): 0 | 1 | 2 {
  const status = campaignStatus(report.presets.map((p) => p.judgement.verdict));
  return status === 'as-expected' ? ExitCode.ok : status === 'unexpected' ? ExitCode.violation : ExitCode.unknown;
}

type Colors = ReturnType<typeof pc.createColors>;

/** The report as text; `colors` from `pc.createColors(enabled)`: colour only what goes to a terminal. */
export function formatTestReport(report: TestReport, colors: Colors): string {
  const { shard } = report;
  const sharded =
    shard.count > 1 ? ` (shard ${shard.index + 1}/${shard.count}: every run r with r mod ${shard.count} = ${shard.index})` : '';
  const what = report.presets.some((p) => p.outcome.subject.system) ? 'system' : 'preset';
  const out: string[] = [`leaderlog test: seed ${report.seed}, ${report.runs} runs per ${what}${sharded}`, ''];
  const rows: { readonly cells: readonly string[]; readonly verdict?: PresetVerdict }[] = [
    { cells: [what, 'known for', 'property', 'result'] },
  ];
  for (const { outcome, judgement, seconds } of report.presets) {
    const level = outcome.subject.promises;
    outcome.properties.forEach((p, i) => {
      const property = p.property === 'linearizable' && level !== 'linearizable' ? `${p.property} (${level})` : p.property;
      rows.push({ cells: [i === 0 ? outcome.subject.name : '', i === 0 ? knownFor(outcome) : '', property, cell(p)] });
    });
    const timing = seconds === undefined ? '' : ` (${seconds.toFixed(1)} s)`;
    rows.push({ cells: ['', '', '', `=> ${verdictText(judgement)}${timing}`], verdict: judgement.verdict });
  }
  const widths = rows[0].cells.map((_, c) => Math.max(...rows.map((r) => r.cells[c].length)));
  rows.forEach(({ cells, verdict }, r) => {
    const line = cells
      .map((text, c) => (c === cells.length - 1 ? text : text.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
    out.push(r === 0 ? colors.bold(line) : verdict ? colourVerdict(line, verdict, colors) : line);
    if (verdict) out.push('');
  });

  const files = report.presets.flatMap((p) => [...p.files].map(([property, file]) => ({ preset: p.outcome.subject.name, property, file })));
  if (files.length > 0) {
    out.push('Counterexamples (replay one with the command after it):');
    for (const { preset, property, file } of files) out.push(`  ${preset} ${property}: ${replayCommand(file)}`);
    out.push('');
  }
  out.push(summary(report));
  return `${out.join('\n')}\n`;
}

function knownFor(outcome: CampaignOutcome): string {
  return outcome.subject.expected.length === 0 ? 'nothing (correct)' : outcome.subject.expected.join(', ');
}

function cell(p: PropertyOutcome): string {
  if (p.status === 'not-applicable') return `not applicable: ${p.reason ?? ''}`;
  if (!p.counterexample) return `held over ${p.runs} run${p.runs === 1 ? '' : 's'}`;
  const c = p.counterexample;
  const reproduced = c.reproduced ? `, failing in ${c.reproduced.failed} of ${c.reproduced.of} re-runs` : '';
  const steps = `shrunk to ${c.schedule.length} step${c.schedule.length === 1 ? '' : 's'}${reproduced}`;
  const after = `after ${p.runs} run${p.runs === 1 ? '' : 's'}`;
  if (c.verdict.status === 'unknown') return `UNKNOWN ${after}, ${steps}: ${c.verdict.reason}`;
  return `counterexample ${after}, ${steps}: ${c.verdict.names.join(', ')}`;
}

function verdictText(judgement: PresetJudgement): string {
  const text = VERDICT_TEXT[judgement.verdict];
  if (judgement.verdict === 'missed') return `${text}: no counterexample named ${judgement.missing.join(' or ')}`;
  return text;
}

function colourVerdict(line: string, verdict: PresetVerdict, colors: Colors): string {
  if (verdict === 'held' || verdict === 'caught') return colors.green(line);
  return verdict === 'unknown' ? colors.yellow(line) : colors.red(colors.bold(line));
}

function summary(report: TestReport): string {
  const count = (v: PresetVerdict) => report.presets.filter((p) => p.judgement.verdict === v).length;
  const parts = (['held', 'caught', 'failed', 'missed', 'unknown'] as const).filter((v) => count(v) > 0).map((v) => `${count(v)} ${v}`);
  const code = exitCodeOf(report);
  const meaning =
    code === 0
      ? 'every correct design held and every known flaw was caught'
      : code === 1
        ? 'something was not as expected'
        : 'nothing unexpected, but some check ran out of budget';
  const what = report.presets.some((p) => p.outcome.subject.system) ? 'system' : 'preset';
  return `${report.presets.length} ${what}${report.presets.length === 1 ? '' : 's'}: ${parts.join(', ')}: ${meaning} (exit ${code})`;
}

/** The report as JSON: anomaly names as history/ names them (`lost-write`, `stale-read`, `dual-leader`). */
export function testReportJson(report: TestReport): unknown {
  const code = exitCodeOf(report);
  return {
    seed: report.seed,
    runs: report.runs,
    shard: { index: report.shard.index + 1, count: report.shard.count },
    status: campaignStatus(report.presets.map((p) => p.judgement.verdict)),
    exitCode: code,
    presets: report.presets.map(({ outcome, judgement, files, seconds }) => ({
      preset: outcome.subject.name,
      ...(outcome.subject.source && { system: outcome.subject.source }),
      expected: outcome.subject.expected,
      verdict: judgement.verdict,
      named: judgement.named,
      missing: judgement.missing,
      runs: outcome.runs,
      ...(seconds !== undefined && { seconds }),
      properties: outcome.properties.map((p) => ({
        property: p.property,
        ...(p.property === 'linearizable' && { level: outcome.subject.promises }),
        status: p.status,
        ...(p.reason !== undefined && { reason: p.reason }),
        runs: p.runs,
        ...(p.counterexample && {
          counterexample: {
            names: p.counterexample.verdict.status === 'violated' ? p.counterexample.verdict.names : [],
            anomalies: [...new Set(p.counterexample.observation.findings().anomalies.map((a) => a.kind))],
            reasons: p.counterexample.verdict.status === 'violated' ? p.counterexample.verdict.reasons : [p.counterexample.verdict.reason],
            steps: p.counterexample.schedule.length,
            run: p.counterexample.run,
            path: p.counterexample.path,
            ...(files.has(p.property) && { file: files.get(p.property), replay: replayCommand(files.get(p.property)!) }),
          },
        }),
      })),
    })),
  };
}
