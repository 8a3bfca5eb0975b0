import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError, readFailureReason } from '../../history/input-error.ts';
import { formatMergedReport, mergeReports, parseShardReport } from '../merge-report.ts';

// `leaderlog merge REPORT.json...`: the shards of one campaign, run on several machines (a CI matrix),
// joined into one table and one exit code.

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('join the JSON reports of `leaderlog test --shard i/n --json` into one table and one exit code')
    .argument('<report...>', 'shard reports of one campaign (same seed, runs and shard count)')
    .option('--json', 'print the merged report as JSON')
    .addHelpText(
      'after',
      '\nExit: as `leaderlog test` over all the shards: 0 as expected, 1 a correct preset failed or a flaw was missed, 2 only unknowns, 3 bad usage or a report that is not one.',
    )
    .action((files: string[], flags: { json?: boolean }) => {
      const merged = mergeReports(files.map((file) => ({ file, report: parseShardReport(readText(file), file) })));
      process.stdout.write(flags.json ? `${JSON.stringify(merged, null, 2)}\n` : formatMergedReport(merged));
      process.exitCode = merged.exitCode;
    });
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read the report: ${readFailureReason(error)}`, { file });
  }
}
