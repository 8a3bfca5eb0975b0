import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import type cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import pc from 'picocolors';
import type { ConsistencyLevel } from '../../history/consistency/level.ts';
import { CONSISTENCY_LEVELS } from '../../history/consistency/level.ts';
import type { WriteOrder } from '../../history/consistency/write-order.ts';
import { WRITE_ORDERS } from '../../history/consistency/write-order.ts';
import type { EdnForm } from '../../history/formats/edn.ts';
import { parseEdn } from '../../history/formats/edn.ts';
import { ednToValue } from '../../history/formats/read-edn-history.ts';
import type { HistoryFormat } from '../../history/formats/read-history.ts';
import { HISTORY_FORMATS, historyName, STDIN, skippedWarning } from '../../history/formats/read-history.ts';
import { InputError } from '../../history/input-error.ts';
import type { CheckBudget, CheckProgress, FailedCas } from '../../history/linearizability/check.ts';
import { FAILED_CAS } from '../../history/linearizability/check.ts';
import { checkModelName, modelNames, WORKLOAD_MODELS } from '../../history/linearizability/model-choice.ts';
import type { Value } from '../../history/value.ts';
import type { SetReads } from '../../history/workloads/set/set.ts';
import { SET_READS } from '../../history/workloads/set/set.ts';
import type { CheckFileOptions } from '../check-file.ts';
import { checkFile } from '../check-file.ts';
import type { FileOutcome } from '../check-report.ts';
import { checkExitCode, checkJson, formatCheckReport } from '../check-report.ts';
import { checkFilesOnWorkers, defaultWorkers } from '../check-workers.ts';
import { jsonSafe, oneLine, terminalSafe } from '../terminal-text.ts';
import { makeFolder, writeFileAtomic } from '../write-file-atomic.ts';
import { positiveIntegerOption } from './arguments.ts';

// `leaderlog check FILE...`: is each history linearizable? One verdict per file with its evidence, a
// table for several, or JSON. A file that cannot be read is reported and the others still checked.

interface CheckFlags {
  readonly model?: string;
  readonly format?: HistoryFormat;
  readonly keyed?: boolean;
  readonly initialValue?: Value;
  readonly setReads?: SetReads;
  readonly writeOrder?: WriteOrder;
  readonly sortByTime?: boolean;
  readonly skipForeignLines?: boolean;
  readonly json?: boolean;
  readonly budget?: number;
  readonly timeLimit?: number;
  readonly consistency?: ConsistencyLevel;
  readonly levels?: boolean;
  readonly html?: string;
  readonly explain?: boolean;
  readonly firstFailure?: boolean;
  readonly failedCas?: FailedCas;
  readonly workers?: number;
}

/** A check that takes longer than this on a terminal gets a progress bar. */
const PROGRESS_AFTER_MS = 1_000;

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('check histories for linearizability: one verdict per file, with the operations that prove a violation')
    .argument('<files...>', 'history files (Jepsen EDN, Jepsen log lines, JSON Lines or a JSON array); - for standard input')
    .option(
      '--model <name>',
      `the model to check against (inferred from the operations when absent): ${modelNames().join(', ')}; or a workload: ${WORKLOAD_MODELS.join(', ')}`,
    )
    .addOption(new Option('--format <format>', 'the input format (recognised from the content when absent)').choices(HISTORY_FORMATS))
    .option(
      '--keyed',
      'client values are [key value] tuples (jepsen.independent): check each key on its own (recognised when every value is one)',
    )
    .option('--no-keyed', 'never read [key value] tuples as keys: check one register')
    .option('--initial-value <edn>', 'the value registers start at, in EDN (0, :x, "a"); nil when absent', initialValue)
    .addOption(
      new Option('--set-reads <semantics>', 'set histories: whether stale reads fail (linearizable) or are only reported (eventual)')
        .choices(SET_READS)
        .default('eventual'),
    )
    .addOption(
      new Option('--write-order <order>', 'session guarantees: order writes by real time and epoch, as a single leader does, or freely')
        .choices(WRITE_ORDERS)
        .default('real-time'),
    )
    .option('--sort-by-time', 'order events by their time instead of their position in the file')
    .option('--skip-foreign-lines', 'in a log, leave out lines that look like JSON or EDN events (refused by default)')
    .option('--json', 'print the results as JSON (schema: history/CHECKING.md); the verdict alone unless --explain')
    .option('--explain', 'name the anomalies that explain each verdict (the text output always does, unless --first-failure)')
    .addOption(
      new Option(
        '--failed-cas <meaning>',
        'what a failed cas says: ignore (it did not happen) or observe (also: the value was not the one expected)',
      )
        .choices(FAILED_CAS)
        .default('ignore'),
    )
    .option('--first-failure', "stop each file at its first key proved not linearizable: the verdict, and that key's evidence")
    .option('--budget <steps>', 'search steps allowed per partition (key) before the verdict is unknown', positiveIntegerOption)
    .option('--time-limit <seconds>', 'wall-clock seconds allowed per file before the verdict is unknown', positiveNumber)
    .addOption(
      new Option('--consistency <level>', 'check this consistency level instead; the exit code follows it').choices(CONSISTENCY_LEVELS),
    )
    .option('--levels', 'also show which consistency levels the history meets')
    .option(
      '--workers <n>',
      `files checked at once, on worker threads (default: the cores, here ${defaultWorkers()})`,
      positiveIntegerOption,
    )
    .option('--html <path>', 'write the timeline page (one file: this path; several: a folder of pages)')
    .addHelpText(
      'after',
      [
        '',
        'Models: register (read, write; get, put), cas-register (adds cas [old new]), multi-register (txn of',
        '[:read k v] / [:write k v]), mutex (acquire, release), key-value (get, put, append of strings,',
        'delete); "keyed X" checks X per key. Without --model: txn -> multi-register, acquire/release ->',
        'mutex, append/delete -> key-value, any cas -> cas-register, else register; keyed when operations',
        'carry keys. A failed cas did not happen; with --failed-cas observe it also saw another value.',
        '',
        'Workloads: register histories also get the stale-read, lost-write and phantom-read detectors;',
        'list-append (append/read of lists, or Elle single-op txns) is checked exactly by its append order;',
        'set (add or broadcast, read of sets) by Jepsen set-full criteria; node/epoch annotations give',
        'dual-leader. Bank, counter, long-fork and unique-ids histories are refused (exit 3), not guessed at.',
        '',
        `Levels: ${CONSISTENCY_LEVELS.join(', ')}.`,
        '',
        'Exit: 0 every history is linearizable and nothing is named; 1 some is not, or an anomaly is named;',
        '2 none is proved not, but some check ran out of budget (unknown); 3 bad input or usage.',
        'With --consistency: 0 every history meets the level, 1 some does not, 2 unknown.',
        '--json and --first-failure without --explain give the verdict alone: anomalies are not looked for, so a',
        'linearizable history exits 0 even if its node/epoch annotations show two leaders.',
      ].join('\n'),
    )
    .action((files: string[], flags: CheckFlags) => check(files, flags));
}

async function check(files: readonly string[], flags: CheckFlags): Promise<void> {
  // A wrong model name is a usage error, whatever the files hold.
  if (flags.model !== undefined) checkModelName(flags.model);
  if (files.filter((file) => file === STDIN).length > 1) throw new InputError('standard input (-) can be read only once');
  const budget: CheckBudget = {
    ...(flags.budget !== undefined && { steps: flags.budget }),
    ...(flags.timeLimit !== undefined && { millis: flags.timeLimit * 1000 }),
  };
  // Explaining costs more than the verdict: done for the text report, a page, or when asked.
  const explain = flags.explain === true || flags.html !== undefined || (!flags.json && !flags.firstFailure);
  const workers = flags.workers ?? defaultWorkers();
  const options: CheckFileOptions = { ...flags, budget, explain };
  // Several files go to worker threads, one file per worker at a time; one file's keys do, when it has
  // enough of them.
  const outcomes: FileOutcome[] =
    files.length > 1 && workers > 1 ? await checkFilesOnWorkers(files, options, workers) : await checkAlone(files, options, workers);
  if (flags.html !== undefined) await writePages(flags.html, outcomes);
  for (const outcome of outcomes) {
    if ('error' in outcome) process.stderr.write(`leaderlog: ${oneLine(outcome.error.describe())}\n`);
    else if (outcome.skipped) process.stderr.write(`leaderlog: ${oneLine(skippedWarning(outcome.file, outcome.skipped))}\n`);
  }
  const colours = process.stdout.isTTY === true;
  if (flags.json) process.stdout.write(`${jsonSafe(JSON.stringify(checkJson(outcomes), jsonBigints, 2))}\n`);
  else process.stdout.write(terminalSafe(formatCheckReport(outcomes, pc.createColors(colours)), colours));
  process.exitCode = checkExitCode(outcomes);
}

async function checkAlone(files: readonly string[], options: CheckFileOptions, workers: number): Promise<FileOutcome[]> {
  if (workers < 2) return files.map((file) => checkOne(file, options));
  const { keyWorkers } = await import('../check-key-workers.ts');
  const pool = keyWorkers(workers);
  try {
    return files.map((file) => checkOne(file, { ...options, checkKeys: pool.checkKeys }));
  } finally {
    await pool.close();
  }
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
async function writePages(path: string, outcomes: readonly FileOutcome[]): Promise<void> {
  // The page's renderer and its parts load only when a page is asked for.
  const { renderTimeline } = await import('../../history/timeline/render-timeline.ts');
  const several = outcomes.length > 1;
  if (several) {
    makeFolder(path, 'the folder for the pages');
  }
  for (const outcome of outcomes) {
    if ('error' in outcome) continue;
    const target = several ? join(path, `${outcome.file.replace(/[^\w.-]+/g, '_')}.html`) : path;
    writeFileAtomic(
      target,
      renderTimeline({
        history: outcome.history,
        anomalies: outcome.judgement.explanation?.findings.anomalies ?? [],
        ...(outcome.judgement.check && { check: outcome.judgement.check }),
        verdict: { verdict: outcome.judgement.verdict, model: outcome.judgement.model },
        title: `leaderlog check: ${basename(outcome.file)}`,
        source: outcome.file,
      }),
    );
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
        // Loaded only for a check long enough to show a bar.
        const { SingleBar, Presets } = createRequire(import.meta.url)('cli-progress') as typeof cliProgress;
        bar = new SingleBar(
          {
            stream: process.stderr,
            format: `${oneLine(file).replace(/[{}]/g, '')} [{bar}] {value}/{total} partitions, {steps} steps`,
            clearOnComplete: true,
            hideCursor: false,
          },
          Presets.shades_classic,
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

function initialValue(text: string): Value {
  let forms: EdnForm[];
  try {
    forms = parseEdn(text);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    forms = [];
  }
  if (forms.length !== 1) throw new InvalidArgumentError('expected one EDN value, such as 0, nil, :x or "a"');
  return ednToValue(forms[0]);
}

function positiveNumber(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number of seconds');
  return n;
}
