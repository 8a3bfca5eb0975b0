import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../../history/input-error.ts';
import { renderTimeline } from '../../history/timeline/render-timeline.ts';
import { parseCounterexample, replayCounterexample } from '../../properties/index.ts';
import type { ReplayReport } from '../replay-report.ts';
import { formatReplayReport, replayExitCode, replayReportJson } from '../replay-report.ts';
import { jsonSafe, terminalSafe } from '../terminal-text.ts';
import { writeFileAtomic } from '../write-file-atomic.ts';

// `leaderlog replay FILE`: run a saved counterexample's schedule through its preset again (the model is
// pure: the same schedule gives the same history), check it, and show what happened and why.

interface ReplayFlags {
  readonly html?: string;
  readonly json?: boolean;
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('replay a counterexample file written by `leaderlog test`: timeline, verdict and explanation')
    .argument('<file>', 'the counterexample (JSON)')
    .option('--html <file>', 'also write the timeline page (self-contained HTML)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExit: 1 the violation reproduces; 0 it no longer does; 2 the check is unknown; 3 a bad file.')
    .action((file: string, flags: ReplayFlags) => {
      process.exitCode = replayCommand(file, flags);
    });
}

function replayCommand(file: string, flags: ReplayFlags): number {
  const parsed = parseCounterexample(readText(file), file);
  const report: ReplayReport = { file, parsed, result: replayCounterexample(parsed) };
  if (flags.html !== undefined) writePage(flags.html, report);
  process.stdout.write(flags.json ? `${jsonSafe(JSON.stringify(replayReportJson(report), null, 2))}\n` : terminalSafe(formatReplayReport(report)));
  return replayExitCode(report);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new InputError(`cannot read the counterexample: ${reason}`, { file });
  }
}

function writePage(path: string, { file, parsed, result }: ReplayReport): void {
  const page = renderTimeline({
    history: result.observation.history,
    anomalies: result.observation.findings().anomalies,
    title: `leaderlog replay: ${parsed.content.preset}, ${parsed.content.property}`,
    source: file,
  });
  writeFileAtomic(path, page);
}
