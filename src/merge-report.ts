import { InputError } from '../history/input-error.ts';
import type { PresetVerdict } from '../properties/index.ts';
import { campaignStatus } from '../properties/index.ts';
import { VERDICT_TEXT } from './test-report.ts';

// `leaderlog merge`: shard reports (`leaderlog test --shard i/n --json`) joined into the report of
// the whole campaign: per preset and property, held over the runs of every shard, or the counterexample
// of the earliest failing run; each preset judged again on what all shards named; one exit code.

interface PropertyJson {
  readonly property: string;
  readonly level?: string;
  readonly status: 'held' | 'violated' | 'unknown';
  readonly runs: number;
  readonly counterexample?: {
    readonly names: readonly string[];
    readonly reasons: readonly string[];
    readonly steps: number;
    readonly run: number;
    readonly replay?: string;
  };
}

interface PresetJson {
  readonly preset: string;
  readonly expected: readonly string[];
  readonly runs: number;
  readonly properties: readonly PropertyJson[];
}

export interface ShardReportJson {
  readonly seed: number;
  readonly runs: number;
  readonly shard: { readonly index: number; readonly count: number };
  readonly presets: readonly PresetJson[];
}

interface MergedProperty extends PropertyJson {
  /** The shard (1-based) whose counterexample is kept. */
  readonly fromShard?: number;
}

interface MergedPreset {
  readonly preset: string;
  readonly expected: readonly string[];
  readonly runs: number;
  readonly properties: readonly MergedProperty[];
  readonly verdict: PresetVerdict;
  readonly missing: readonly string[];
}

export interface MergedReport {
  readonly seed: number;
  readonly runs: number;
  readonly shards: readonly number[];
  readonly count: number;
  readonly presets: readonly MergedPreset[];
  readonly exitCode: 0 | 1 | 2;
}

/** Parses one shard report; throws an InputError naming the file and what is wrong. */
export function parseShardReport(text: string, file: string): ShardReportJson {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`not a JSON report of leaderlog test --json: ${(error as Error).message}`, { file });
  }
  const report = data as Partial<ShardReportJson>;
  const shard = report?.shard;
  if (
    typeof report !== 'object' ||
    report === null ||
    typeof report.seed !== 'number' ||
    typeof report.runs !== 'number' ||
    !Array.isArray(report.presets) ||
    typeof shard?.index !== 'number' ||
    typeof shard.count !== 'number'
  ) {
    throw new InputError('not a report of leaderlog test --json: expected seed, runs, shard and presets', { file });
  }
  return report as ShardReportJson;
}

export function mergeReports(reports: readonly { readonly file: string; readonly report: ShardReportJson }[]): MergedReport {
  const [first] = reports;
  const seen = new Set<number>();
  for (const { file, report } of reports) {
    if (report.seed !== first.report.seed || report.runs !== first.report.runs || report.shard.count !== first.report.shard.count) {
      throw new InputError(
        `a shard of another campaign: seed ${report.seed}, ${report.runs} runs, ${report.shard.count} shards, where ${first.file} has seed ${first.report.seed}, ${first.report.runs} runs, ${first.report.shard.count} shards`,
        { file },
      );
    }
    if (seen.has(report.shard.index)) throw new InputError(`shard ${report.shard.index}/${report.shard.count} is given twice`, { file });
    seen.add(report.shard.index);
  }
  const names = [...new Set(reports.flatMap((r) => r.report.presets.map((p) => p.preset)))];
  const presets = names.map((name): MergedPreset => {
    const parts = reports.flatMap(({ report }) =>
      report.presets.filter((p) => p.preset === name).map((p) => ({ shard: report.shard.index, preset: p })),
    );
    const expected = parts[0].preset.expected;
    const properties = parts[0].preset.properties.map((p) => mergeProperty(p.property, parts));
    const named = [...new Set(properties.flatMap((p) => (p.status === 'violated' ? (p.counterexample?.names ?? []) : [])))];
    const missing = expected.filter((kind) => !named.includes(kind));
    const verdict: PresetVerdict =
      expected.length > 0
        ? missing.length === 0
          ? 'caught'
          : 'missed'
        : properties.some((p) => p.status === 'violated')
          ? 'failed'
          : properties.some((p) => p.status === 'unknown')
            ? 'unknown'
            : 'held';
    return { preset: name, expected, runs: parts.reduce((sum, p) => sum + p.preset.runs, 0), properties, verdict, missing };
  });
  const status = campaignStatus(presets.map((p) => p.verdict));
  return {
    seed: first.report.seed,
    runs: first.report.runs,
    shards: [...new Set(reports.map((r) => r.report.shard.index))].sort((a, b) => a - b),
    count: first.report.shard.count,
    presets,
    exitCode: status === 'as-expected' ? 0 : status === 'unexpected' ? 1 : 2,
  };
}

function mergeProperty(property: string, parts: readonly { readonly shard: number; readonly preset: PresetJson }[]): MergedProperty {
  const found = parts.flatMap(({ shard, preset }) => preset.properties.filter((p) => p.property === property).map((p) => ({ shard, p })));
  const failing = found.filter(({ p }) => p.counterexample !== undefined).sort((a, b) => a.p.counterexample!.run - b.p.counterexample!.run);
  const held = found.reduce((sum, { p }) => sum + (p.counterexample ? 0 : p.runs), 0);
  if (failing.length === 0) return { ...found[0].p, status: 'held', runs: held };
  const violated = failing.find(({ p }) => p.status === 'violated') ?? failing[0];
  return { ...violated.p, fromShard: violated.shard };
}

export function formatMergedReport(merged: MergedReport): string {
  const complete = merged.shards.length === merged.count;
  const which = complete
    ? `all ${merged.count} shards`
    : `shards ${merged.shards.join(', ')} of ${merged.count} (INCOMPLETE: only their runs were judged)`;
  const out = [`leaderlog merge: seed ${merged.seed}, ${merged.runs} runs per preset, ${which}`, ''];
  const rows: string[][] = [['preset', 'known for', 'property', 'result']];
  for (const preset of merged.presets) {
    preset.properties.forEach((p, i) => {
      const name = p.level && p.level !== 'linearizable' ? `${p.property} (${p.level})` : p.property;
      const c = p.counterexample;
      const result = c
        ? `${p.status === 'unknown' ? 'UNKNOWN' : 'counterexample'} in shard ${p.fromShard} at run ${c.run}, shrunk to ${c.steps} step${c.steps === 1 ? '' : 's'}: ${p.status === 'unknown' ? c.reasons.join('; ') : c.names.join(', ')}`
        : `held over ${p.runs} run${p.runs === 1 ? '' : 's'}`;
      rows.push([
        i === 0 ? preset.preset : '',
        i === 0 ? (preset.expected.length === 0 ? 'nothing (correct)' : preset.expected.join(', ')) : '',
        name,
        result,
      ]);
    });
    const missed = preset.verdict === 'missed' ? `: no counterexample named ${preset.missing.join(' or ')}` : '';
    rows.push(['', '', '', `=> ${VERDICT_TEXT[preset.verdict]}${missed}`], []);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const row of rows)
    out.push(
      row
        .map((text, c) => (c === row.length - 1 ? text : text.padEnd(widths[c])))
        .join('  ')
        .trimEnd(),
    );
  const replays = merged.presets.flatMap((preset) =>
    preset.properties.flatMap((p) => (p.counterexample?.replay ? [`  ${preset.preset} ${p.property}: ${p.counterexample.replay}`] : [])),
  );
  if (replays.length > 0)
    out.push('Counterexamples (replay one with the command after it, on the machine that ran its shard):', ...replays, '');
  const count = (v: PresetVerdict) => merged.presets.filter((p) => p.verdict === v).length;
  const parts = (['held', 'caught', 'failed', 'missed', 'unknown'] as const).filter((v) => count(v) > 0).map((v) => `${count(v)} ${v}`);
  const meaning =
    merged.exitCode === 0
      ? 'every correct design held and every known flaw was caught'
      : merged.exitCode === 1
        ? 'something was not as expected'
        : 'nothing unexpected, but some check ran out of budget';
  out.push(
    `${merged.presets.length} preset${merged.presets.length === 1 ? '' : 's'}: ${parts.join(', ')}: ${meaning} (exit ${merged.exitCode})`,
  );
  return `${out.join('\n')}\n`;
}
