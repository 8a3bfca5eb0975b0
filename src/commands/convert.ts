import type { Command } from 'commander';
import { Option } from 'commander';
import type { Event } from '../../history/event.ts';
import { jsonlLines, unwritableValue, writeJsonlFile } from '../../history/formats/jsonl.ts';
import type { HistoryFormat } from '../../history/formats/read-history.ts';
import { HISTORY_FORMATS, historyName, readSourcedHistoryFile, skippedWarning } from '../../history/formats/read-history.ts';
import type { SourcedEvents } from '../../history/formats/sourced-events.ts';
import { InputError } from '../../history/input-error.ts';
import { jsonSafe, oneLine } from '../terminal-text.ts';
import { writeErrorReason } from '../write-file-atomic.ts';

// `leaderlog convert FILE`: any history leaderlog can read, as JSON Lines, losslessly: what it writes
// reads back as the same events. The whole input is read, paired and formatted first, so a bad input
// (or one JSON cannot hold) fails before anything is written; -o writes through a temporary file.

interface ConvertOptions {
  readonly format?: HistoryFormat;
  readonly keyed?: boolean;
  readonly sortByTime?: boolean;
  readonly skipForeignLines?: boolean;
  readonly output?: string;
}

export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description('convert a history (Jepsen EDN, Jepsen log lines or JSON Lines) to JSON Lines')
    .argument('<file>', 'the history to convert (- for standard input)')
    .addOption(new Option('--format <format>', 'the input format (recognised from the content when absent)').choices(HISTORY_FORMATS))
    .option('--keyed', 'client values are [key value] tuples (jepsen.independent)')
    .option('--sort-by-time', 'order events by their time instead of their position in the file')
    .option('--skip-foreign-lines', 'in a log, leave out lines that look like JSON or EDN events (refused by default)')
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .action((file: string, options: ConvertOptions) => convert(file, options));
}

function convert(file: string, options: ConvertOptions): void {
  const { source, history } = readSourcedHistoryFile(file, {
    format: options.format,
    keyed: options.keyed,
    sortByTime: options.sortByTime,
    skipForeignLines: options.skipForeignLines,
  });
  refuseUnwritable(historyName(file), source);
  if (source.skipped) process.stderr.write(`leaderlog: ${oneLine(skippedWarning(historyName(file), source.skipped))}\n`);
  if (options.output === undefined) writeToStdout(history.events);
  else writeToFile(options.output, history.events);
}

/** An InputError at the first event JSON cannot hold, before anything is written. */
function refuseUnwritable(file: string, source: SourcedEvents): void {
  for (let i = 0; i < source.events.length; i++) {
    const problem = unwritableValue(source.events[i]);
    if (problem)
      throw new InputError(`${problem}: JSON Lines cannot hold it, and null in its place would be another history`, {
        file,
        line: source.lines[i],
        column: source.columns[i],
      });
  }
}

const CHUNK = 1 << 20;

function writeToStdout(events: readonly Event[]): void {
  let chunk = '';
  for (const line of jsonlLines(events)) {
    chunk += line;
    if (chunk.length >= CHUNK) {
      process.stdout.write(jsonSafe(chunk));
      chunk = '';
    }
  }
  if (chunk) process.stdout.write(jsonSafe(chunk));
}

function writeToFile(path: string, events: readonly Event[]): void {
  try {
    writeJsonlFile(path, events);
  } catch (error) {
    // Only the file system's failures are the output's; anything else is not about the output file.
    if ((error as NodeJS.ErrnoException).code === undefined) throw error;
    throw new InputError(`cannot write the output file: ${writeErrorReason(error)}`, { file: path });
  }
}
