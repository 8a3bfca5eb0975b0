import { join } from 'node:path';
import cliProgress from 'cli-progress';
import pc from 'picocolors';
import type { Command } from 'commander';
import { InputError } from '../../history/input-error.ts';
import type { Preset } from '../../models/index.ts';
import { presetList, presets } from '../../models/index.ts';
import type { PresetOutcome, Shard } from '../../properties/index.ts';
import { counterexampleFile, formatCounterexampleFile, judgePreset, PROPERTY_NAMES, runCampaign } from '../../properties/index.ts';
import type { PresetReport, TestReport } from '../test-report.ts';
import { exitCodeOf, formatTestReport, testReportJson } from '../test-report.ts';
import { terminalSafe, jsonSafe } from '../terminal-text.ts';
import { makeFolder, writeErrorReason, writeFileAtomic } from '../write-file-atomic.ts';

// `leaderlog test`: the property campaign over one preset or all of them, as CI runs it. Correct
// designs must hold every property; flawed ones must be caught, each anomaly they are known for named
// by some counterexample. The exit code says whether everything went as expected.

interface TestFlags {
  readonly preset?: string[];
  readonly all?: boolean;
  readonly runs: string;
  readonly seed: string;
  readonly shard?: string;
  readonly out: string;
  readonly json?: boolean;
  readonly timing?: boolean;
}

/** Sized so `npm start` (every preset) stays well under two minutes on a small machine. */
export const DEFAULT_RUNS = 500;
export const DEFAULT_SEED = 1;
export const DEFAULT_OUT = join('out', 'counterexamples');

export function registerTest(program: Command): void {
  program
    .command('test')
    .description('run the property campaign: generated schedules of operations and faults through each design, every history checked')
    .option('--preset <name>', `a preset to test (repeatable): ${presetList.map((p) => p.name).join(', ')}`, collect)
    .option('--all', 'test every preset (the default when no --preset is given)')
    .option('--runs <n>', 'schedules per preset (over all shards together)', String(DEFAULT_RUNS))
    .option('--seed <s>', 'the seed every schedule is drawn from; the same seed prints the same bytes', String(DEFAULT_SEED))
    .option('--shard <i/n>', 'run only shard i of n (1-based): every run r with r mod n = i-1; n shards do exactly the runs of one')
    .option('--out <dir>', 'where counterexample files go', DEFAULT_OUT)
    .option('--json', 'print the report as JSON')
    .option('--timing', 'add how long each preset took (the output then differs from run to run)')
    .addHelpText(
      'after',
      [
        '',
        `Properties: ${PROPERTY_NAMES.join(', ')}.`,
        'A preset known for nothing (safe, lease-reads) must hold every property; a flawed preset must be caught:',
        'each anomaly it is known for named by some counterexample (other failures it shows are reported, not held',
        'against it). Counterexamples are shrunk, written to --out and replayed with `leaderlog replay FILE`.',
        '',
        'Exit: 0 every correct preset held and every flawed one was caught; 1 a correct preset has a',
        'counterexample or a flawed one was not caught within the runs; 2 nothing unexpected, but a check ran',
        'out of budget (unknown); 3 bad usage. With --shard each shard judges only its own runs.',
      ].join('\n'),
    )
    .action((flags: TestFlags) => {
      process.exitCode = testCommand(flags);
    });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').filter((name) => name !== '')];
}

function testCommand(flags: TestFlags): number {
  const chosen = choosePresets(flags);
  const runs = positiveInteger(flags.runs, '--runs');
  const seed = seedOf(flags.seed);
  const shard = flags.shard === undefined ? { index: 0, count: 1 } : shardOf(flags.shard);
  const ownRuns = (total: number) => Math.floor(total / shard.count) + (shard.index < total % shard.count ? 1 : 0);
  const progress = process.stderr.isTTY ? startProgress(chosen.length * ownRuns(runs)) : undefined;

  const reports: PresetReport[] = [];
  try {
    for (const preset of chosen) {
      const started = performance.now();
      progress?.update({ preset: preset.name });
      const outcome = runCampaign(preset, {
        runs,
        seed,
        shard,
        onRun: progress && (() => progress.increment()),
        onShrink: progress && ((property) => progress.update({ preset: `${preset.name}: shrinking a counterexample of ${property}` })),
      });
      const seconds = (performance.now() - started) / 1000;
      const files = writeCounterexamples(outcome, flags.out, shard);
      reports.push({ outcome, judgement: judgePreset(outcome), files, ...(flags.timing && { seconds }) });
    }
  } finally {
    progress?.stop();
  }
  const report: TestReport = { seed, runs, shard, presets: reports };
  const colors = pc.createColors(process.stdout.isTTY === true);
  process.stdout.write(flags.json ? `${jsonSafe(JSON.stringify(testReportJson(report), null, 2))}\n` : terminalSafe(formatTestReport(report, colors), process.stdout.isTTY === true));
  return exitCodeOf(report);
}

function choosePresets(flags: TestFlags): Preset[] {
  if (flags.all && flags.preset) throw new InputError('give --preset or --all, not both');
  if (!flags.preset) return [...presetList];
  return [...new Set(flags.preset)].map((name) => {
    const preset = presets[name];
    if (!preset) throw new InputError(`unknown preset "${name}"; presets: ${presetList.map((p) => p.name).join(', ')}`);
    return preset;
  });
}

function positiveInteger(text: string, flag: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) throw new InputError(`${flag} must be a whole number of at least 1, got "${text}"`);
  return Number(text);
}

/** fast-check seeds are 32-bit integers. */
function seedOf(text: string): number {
  const seed = Number(text);
  if (!/^-?\d+$/.test(text) || seed < -(2 ** 31) || seed >= 2 ** 32) throw new InputError(`--seed must be an integer from -2147483648 to 4294967295, got "${text}"`);
  return seed;
}

function shardOf(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) throw new InputError(`--shard must be i/n with 1 <= i <= n, like 2/4; got "${text}"`);
  return { index: index - 1, count };
}

/** One file per failed property, named so the same seed (and shard) writes the same files. */
function writeCounterexamples(outcome: PresetOutcome, dir: string, shard: Shard): Map<string, string> {
  const sharded = shard.count > 1 ? `.shard-${shard.index + 1}-of-${shard.count}` : '';
  const files = new Map<string, string>();
  const counterexamples = outcome.properties.flatMap((p) => (p.counterexample ? [p.counterexample] : []));
  if (counterexamples.length === 0) return files;
  makeFolder(dir, 'the folder for counterexamples');
  try {
    for (const counterexample of counterexamples) {
      const file = join(dir, `${counterexample.preset.name}.${counterexample.property}.seed-${counterexample.seed}${sharded}.json`);
      writeFileAtomic(file, formatCounterexampleFile(counterexampleFile(counterexample, file)));
      files.set(counterexample.property, file);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot write counterexamples: ${writeErrorReason(error)}`, { file: dir });
  }
  return files;
}

function startProgress(total: number): cliProgress.SingleBar {
  const bar = new cliProgress.SingleBar(
    // The cursor stays visible: the campaign runs without yielding, so Ctrl-C or SIGTERM end the process
    // at once, by the signal's default, with no chance to show a hidden cursor again.
    { format: '{bar} {value}/{total} runs  {preset}', stream: process.stderr, hideCursor: false, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { preset: '' });
  return bar;
}
