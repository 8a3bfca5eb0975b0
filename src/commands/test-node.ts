import { join } from 'node:path';
import pc from 'picocolors';
import { InputError } from '../../history/input-error.ts';
import { SystemError } from '../../models/index.ts';
import type { CampaignOutcome, ParsedCounterexample, ReplayResult } from '../../properties/index.ts';
import { judgePreset } from '../../properties/index.ts';
import { writeCounterexamples } from '../counterexample-files.ts';
import { ExitCode } from '../exit-code.ts';
import { DEFAULT_NODE_RUNS, testNode } from '../process/node-campaign.ts';
import { replayNodeCounterexample } from '../process/node-replay.ts';
import type { NodeClock } from '../process/process-system.ts';
import type { TestReport } from '../test-report.ts';
import { exitCodeOf, formatTestReport, testReportJson } from '../test-report.ts';
import { positiveInteger } from './arguments.ts';
import { startNodeProgress } from './node-progress.ts';
import { seedOf } from './test.ts';

// `leaderlog test --node "CMD ARGS..."`: the campaign against a Maelstrom-protocol node binary. A node
// that misbehaves (exits, prints a line that is not JSON, sends to a node that does not exist, never
// answers init or never finishes a step) is reported in one message naming the node and the line, and
// leaderlog exits 3 with every process it started ended.

export const DEFAULT_WORK = join('out', 'nodes');

export interface NodeFlags {
  readonly node?: string;
  readonly nodes: string;
  readonly clients: string;
  readonly clock: NodeClock;
  readonly reruns: string;
  readonly tickMs: string;
  readonly work: string;
  readonly shrinkBudget?: string;
  readonly runs?: string;
  readonly seed: string;
  readonly out: string;
  readonly json?: boolean;
  readonly timing?: boolean;
  readonly preset?: string[];
  readonly all?: boolean;
  readonly shard?: string;
  readonly system?: string;
}

export function nodeTestCommand(flags: NodeFlags): number {
  if (flags.preset || flags.all || flags.system !== undefined)
    throw new InputError('give --node, --system or --preset/--all, not more than one');
  if (flags.shard) throw new InputError('--shard is not supported with --node');
  const command = splitCommand(flags.node!);
  const nodes = positiveInteger(flags.nodes, '--nodes');
  if (nodes > 7) throw new InputError(`--nodes must be at most 7, got ${nodes}`);
  const runs = positiveInteger(flags.runs ?? String(DEFAULT_NODE_RUNS), '--runs');
  const seed = seedOf(flags.seed);
  const started = performance.now();
  const progress = process.stderr.isTTY && !flags.json ? startNodeProgress(command.join(' '), runs) : undefined;
  let outcome: CampaignOutcome;
  try {
    outcome = testNode({
      command,
      nodes,
      clients: positiveInteger(flags.clients, '--clients'),
      clock: flags.clock,
      reruns: positiveInteger(flags.reruns, '--reruns'),
      tickMillis: positiveInteger(flags.tickMs, '--tick-ms'),
      workDir: flags.work,
      ...(flags.shrinkBudget !== undefined && { shrinkBudget: positiveInteger(flags.shrinkBudget, '--shrink-budget') }),
      runs,
      seed,
      ...(progress && { onRun: progress.onRun, onShrink: progress.onShrink }),
    });
  } catch (error) {
    progress?.stop();
    if (!(error instanceof SystemError)) throw error;
    process.stderr.write(`leaderlog: ${error.message}\n`);
    return ExitCode.badInput;
  }
  progress?.stop();
  const seconds = (performance.now() - started) / 1000;
  const files = writeCounterexamples(outcome, flags.out);
  const report: TestReport = {
    seed,
    runs,
    shard: { index: 0, count: 1 },
    presets: [{ outcome, judgement: judgePreset(outcome), files, ...(flags.timing && { seconds }) }],
  };
  const colors = pc.createColors(process.stdout.isTTY === true);
  process.stdout.write(flags.json ? `${JSON.stringify(testReportJson(report), null, 2)}\n` : formatTestReport(report, colors));
  return exitCodeOf(report);
}

/** `leaderlog replay` of a node binary's counterexample; a node that misbehaves now is bad input. */
export function replayNode(parsed: ParsedCounterexample, work: string): ReplayResult {
  try {
    return replayNodeCounterexample(parsed, work);
  } catch (error) {
    if (error instanceof SystemError) throw new InputError(error.message);
    throw error;
  }
}

/** Splits a command line into words as a shell would for plain words, '...' and "..." (no expansion). */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | null = null;
  let inWord = false;
  for (const ch of line) {
    if (quote !== null) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote !== null) throw new InputError(`--node: the command has an unclosed ${quote}: ${line}`);
  if (inWord) words.push(word);
  if (words.length === 0) throw new InputError('--node: the command is empty');
  return words;
}
