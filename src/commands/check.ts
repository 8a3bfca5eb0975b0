import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import pc from 'picocolors';
import { basename, join } from 'node:path';
import type { CheckBudget, CheckProgress } from '../../history/check.ts';
import type { ConsistencyLevel } from '../../history/consistency/level.ts';
import { CONSISTENCY_LEVELS } from '../../history/consistency/level.ts';
import { InputError } from '../../history/input-error.ts';
import { chooseModel, modelNames } from '../../history/model-choice.ts';
import type { HistoryFormat } from '../../history/read-history.ts';
import { HISTORY_FORMATS, historyName, skippedWarning, STDIN } from '../../history/read-history.ts';
import type { CheckFileOptions } from '../check-file.ts';
import { checkFile } from '../check-file.ts';
import type { FileOutcome } from '../check-report.ts';
import { checkExitCode, checkJson, formatCheckReport } from '../check-report.ts';
import { renderTimeline } from '../../history/timeline/render-timeline.ts';
import { jsonSafe, oneLine, terminalSafe } from '../terminal-text.ts';
import { makeFolder, writeFileAtomic } from '../write-file-atomic.ts';

// `leaderlog check FILE...`: is each history linearizable? One verdict per file with its evidence, a
// table for several, or JSON. A file that cannot be read is reported and the others still checked.

interface CheckFlags {
  readonly model?: string;
  readonly format?: HistoryFormat;
  readonly keyed?: boolean;
  readonly sortByTime?: boolean;
  readonly skipForeignLines?: boolean;
  readonly json?: boolean;
  readonly budget?: number;
  readonly timeLimit?: number;
  readonly consistency?: ConsistencyLevel;
  readonly levels?: boolean;
  readonly html?: string;
}

/** A check that takes longer than this on a terminal gets a progress bar. */
const PROGRESS_AFTER_MS = 1_000;

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('check histories for linearizability: one verdict per file, with the operations that prove a violation')
    .argument('<files...>', 'history files (Jepsen EDN, Jepsen log lines or JSON Lines); - for standard input')
    .option('--model <name>', `the model to check against (inferred from the operations when absent): ${modelNames().join(', ')}`)
    .addOption(new Option('--format <format>', 'the input format (recognised from the content when absent)').choices(HISTORY_FORMATS))
    .option('--keyed', 'client values are [key value] tuples (jepsen.independent): check each key on its own')
    .option('--sort-by-time', 'order events by their time instead of their position in the file')
    .option('--skip-foreign-lines', 'in a log, leave out lines that look like JSON or EDN events (refused by default)')
    .option('--json', 'print the results as JSON (schema: history/CHECKING.md)')
    .option('--budget <steps>', 'search steps allowed per partition (key) before the verdict is unknown', positiveInteger)
    .option('--time-limit <seconds>', 'wall-clock seconds allowed per file before the verdict is unknown', positiveNumber)
    .addOption(
      new Option('--consistency <level>', 'check this consistency level instead; the exit code follows it').choices(CONSISTENCY_LEVELS),
    )
    .option('--levels', 'also show which consistency levels the history meets')
    .option('--html <path>', 'write the timeline page (one file: this path; several: a folder of pages)')
    .addHelpText(
      'after',
      [
        '',
        'Models: register (read, write), cas-register (adds cas [old new]), multi-register (txn of',
        '[:read k v] / [:write k v]), mutex (acquire, release); "keyed X" checks X per key. Without --model:',
        'txn -> multi-register, acquire/release -> mutex, any cas -> cas-register, else register; keyed',
        'when operations carry keys.',
        '',
        'Workloads: register histories also get the stale-read, lost-write and phantom-read detectors;',
        'list-append (append/read of lists, or Elle single-op txns) is checked exactly by its append order;',
        'set (add/read of sets) by Jepsen set-full criteria; node/epoch annotations give dual-leader.',
        '',
        `Levels: ${CONSISTENCY_LEVELS.join(', ')}.`,
        '',
        'Exit: 0 every history is linearizable and nothing is named; 1 some is not, or an anomaly is named;',
        '2 none is proved not, but some check ran out of budget (unknown); 3 bad input or usage.',
        'With --consistency: 0 every history meets the level, 1 some does not, 2 unknown.',
      ].join('\n'),
    )
    .action((files: string[], flags: CheckFlags) => check(files, flags));
}

function check(files: readonly string[], flags: CheckFlags): void {
  // A wrong model name is a usage error, whatever the files hold.
  if (flags.model !== undefined) chooseModel([], flags.model);
  if (files.filter((file) => file === STDIN).length > 1) throw new InputError('standard input (-) can be read only once');
  const budget: CheckBudget = {
    ...(flags.budget !== undefined && { steps: flags.budget }),
    ...(flags.timeLimit !== undefined && { millis: flags.timeLimit * 1000 }),
  };
  const outcomes: FileOutcome[] = files.map((file) => checkOne(file, { ...flags, budget }));
  if (flags.html !== undefined) writePages(flags.html, outcomes);
  for (const outcome of outcomes) {
    if ('error' in outcome) process.stderr.write(`leaderlog: ${oneLine(outcome.error.describe())}\n`);
    else if (outcome.skipped) process.stderr.write(`leaderlog: ${oneLine(skippedWarning(outcome.file, outcome.skipped))}\n`);
  }
  const colours = process.stdout.isTTY === true;
  if (flags.json) process.stdout.write(`${jsonSafe(JSON.stringify(checkJson(outcomes), jsonBigints, 2))}\n`);
  else process.stdout.write(terminalSafe(formatCheckReport(outcomes, pc.createColors(colours)), colours));
  process.exitCode = checkExitCode(outcomes);
}

function checkOne(file: string, options: CheckFileOptions): FileOutcome {
  const progress = progressBar(file);
  try {
    return checkFile(file, { ...options, onProgress: progress.update });
  } catch (error) {
    if (error instanceof InputError) return { file: historyName(file), error };
    throw error;
  } finally {
    progress.stop();
  }
}

/**
 * One page per history checked: at the path itself for one file; for several, in the folder the path
 * names, each page named after its file's whole path so that a/x.edn and b/x.edn do not collide.
 */
function writePages(path: string, outcomes: readonly FileOutcome[]): void {
  const several = outcomes.length > 1;
  if (several) {
    makeFolder(path, 'the folder for the pages');
  }
  for (const outcome of outcomes) {
    if ('error' in outcome) continue;
    const target = several ? join(path, `${outcome.file.replace(/[^\w.-]+/g, '_')}.html`) : path;
    writeFileAtomic(target, renderTimeline({
      history: outcome.history,
      anomalies: outcome.judgement.explanation.findings.anomalies,
      ...(outcome.judgement.check && { check: outcome.judgement.check }),
      title: `leaderlog check: ${basename(outcome.file)}`,
      source: outcome.file,
    }));
  }
}

/** A bar on stderr, shown only on a terminal and only once a check has run for a while. */
function progressBar(file: string): { update: (progress: CheckProgress) => void; stop: () => void } {
  const start = performance.now();
  let bar: cliProgress.SingleBar | undefined;
  return {
    update: ({ partitions, done, steps }) => {
      if (!bar) {
        if (!process.stderr.isTTY || performance.now() - start < PROGRESS_AFTER_MS) return;
        bar = new cliProgress.SingleBar(
          { stream: process.stderr, format: `${oneLine(file).replace(/[{}]/g, '')} [{bar}] {value}/{total} partitions, {steps} steps`, clearOnComplete: true, hideCursor: false },
          cliProgress.Presets.shades_classic,
        );
        bar.start(partitions, done, { steps });
      }
      bar.update(done, { steps });
    },
    stop: () => bar?.stop(),
  };
}

/** Values keep integers beyond 2^53 exact; JSON has no bigint, so they print as decimal strings. */
function jsonBigints(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function positiveInteger(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number of steps');
  return n;
}

function positiveNumber(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return n;
}
