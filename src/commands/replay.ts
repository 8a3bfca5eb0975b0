import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError, readFailureReason } from '../../history/input-error.ts';
import { renderTimeline } from '../../history/timeline/render-timeline.ts';
import { SystemError } from '../../models/index.ts';
import type { ParsedCounterexample, ReplayResult } from '../../properties/index.ts';
import { parseCounterexample, replayCounterexample, systemSubject } from '../../properties/index.ts';
import { isNodeCounterexample } from '../process/node-replay.ts';
import type { ReplayReport } from '../replay-report.ts';
import { formatReplayReport, replayExitCode, replayReportJson } from '../replay-report.ts';
import { loadSystems } from '../system-module.ts';
import { jsonSafe, terminalSafe } from '../terminal-text.ts';
import { writeFileAtomic } from '../write-file-atomic.ts';
import { DEFAULT_WORK, replayNode } from './test-node.ts';

// `leaderlog replay FILE`: run a saved counterexample's schedule through its preset again (the model is
// pure: the same schedule gives the same history), check it, and show what happened and why.

interface ReplayFlags {
  readonly html?: string;
  readonly json?: boolean;
  readonly work?: string;
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('replay a counterexample file written by `leaderlog test`: timeline, verdict and explanation')
    .argument('<file>', 'the counterexample (JSON)')
    .option('--html <file>', 'also write the timeline page (self-contained HTML)')
    .option('--json', 'print the result as JSON')
    .option('--work <dir>', `a node binary's counterexample: where its nodes' working folders and stderr go (default ${DEFAULT_WORK})`)
    .addHelpText('after', '\nExit: 1 the violation reproduces; 0 it no longer does; 2 the check is unknown; 3 a bad file.')
    .action(async (file: string, flags: ReplayFlags) => {
      process.exitCode = await replayCommand(file, flags);
    });
}

async function replayCommand(file: string, flags: ReplayFlags): Promise<number> {
  const parsed = parseCounterexample(readText(file), file);
  const result =
    parsed.kind === 'preset'
      ? replayCounterexample(parsed)
      : isNodeCounterexample(parsed)
        ? replayNode(parsed, flags.work ?? DEFAULT_WORK)
        : await replaySystem(parsed, file);
  const report: ReplayReport = { file, parsed, result };
  if (flags.html !== undefined) writePage(flags.html, report);
  process.stdout.write(
    flags.json ? `${jsonSafe(JSON.stringify(replayReportJson(report), null, 2))}\n` : terminalSafe(formatReplayReport(report)),
  );
  return replayExitCode(report);
}

/**
 * A system's counterexample: its module loaded again (the path as saved, from the current directory),
 * the system of the saved name taken from it, and a warning when its source changed since.
 */
async function replaySystem(parsed: Extract<ParsedCounterexample, { kind: 'system' }>, file: string): Promise<ReplayResult> {
  const saved = parsed.system;
  if (saved.module === '') {
    throw new InputError(
      `names no module for system ${saved.name}: it was written by assertSystemHolds without its \`module\` option, so there is nothing to load`,
      { file },
    );
  }
  const { systems, source } = await loadSystems(saved.module);
  const system = systems.find((s) => s.name === saved.name);
  if (!system)
    throw new InputError(`exports no system named "${saved.name}" (it exports ${systems.map((s) => s.name).join(', ')})`, {
      file: saved.module,
    });
  if (source.hash !== saved.hash) {
    process.stderr.write(
      `leaderlog: warning: ${saved.module} changed since the counterexample was written (source hash ${source.hash}, saved ${saved.hash}); replaying anyway\n`,
    );
  }
  try {
    return replayCounterexample(parsed, systemSubject(system, source));
  } catch (error) {
    if (error instanceof SystemError) throw new InputError(error.message, { file: saved.module });
    throw error;
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read the counterexample: ${readFailureReason(error)}`, { file });
  }
}

function writePage(path: string, { file, parsed, result }: ReplayReport): void {
  const page = renderTimeline({
    history: result.observation.history,
    anomalies: result.observation.findings().anomalies,
    title: `leaderlog replay: ${result.observation.subject.name}, ${parsed.content.property}`,
    source: file,
  });
  writeFileAtomic(path, page);
}
