import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { Option } from 'commander';
import pc from 'picocolors';
import { InputError } from '../../history/input-error.ts';
import type { Preset } from '../../models/index.ts';
import { presetList, presets, SystemError } from '../../models/index.ts';
import type { CampaignOptions, CampaignOutcome, CampaignPool, Shard, Subject, SubjectRef } from '../../properties/index.ts';
import { judgePreset, PROPERTY_NAMES, presetSubject, runCampaignOnWorkers, systemSubject } from '../../properties/index.ts';
import { WorkerPool } from '../campaign-pool.ts';
import { writeCounterexamples } from '../counterexample-files.ts';
import { DEFAULT_NODE_RUNS } from '../process/node-campaign.ts';
import { loadSystems } from '../system-module.ts';
import { jsonSafe, terminalSafe } from '../terminal-text.ts';
import type { PresetReport, TestReport } from '../test-report.ts';
import { exitCodeOf, formatTestReport, testReportJson } from '../test-report.ts';
import { positiveInteger } from './arguments.ts';
import type { NodeFlags } from './test-node.ts';
import { DEFAULT_WORK, nodeTestCommand } from './test-node.ts';

// `leaderlog test`: the property campaign over one preset or all of them, as CI runs it. Correct
// designs must hold every property; flawed ones must be caught, each anomaly they are known for named
// by some counterexample. The exit code says whether everything went as expected.

interface TestFlags {
  readonly system?: string;
  readonly preset?: string[];
  readonly all?: boolean;
  readonly runs?: string;
  readonly seed: string;
  readonly shard?: string;
  readonly workers?: string;
  readonly swarm?: boolean;
  readonly out: string;
  readonly json?: boolean;
  readonly timing?: boolean;
}

/** Sized so `npm start` (every preset) stays well under two minutes on a small machine. */
const DEFAULT_RUNS = 500;
const DEFAULT_SEED = 1;
const DEFAULT_OUT = join('out', 'counterexamples');

export function registerTest(program: Command): void {
  program
    .command('test')
    .description('run the property campaign: generated schedules of operations and faults through each design, every history checked')
    .option('--system <module>', 'test the systems a module of yours exports (TypeScript or JavaScript) instead of the presets')
    .option('--preset <name>', `a preset to test (repeatable): ${presetList.map((p) => p.name).join(', ')}`, collect)
    .option('--all', 'test every preset (the default when no --preset is given)')
    .option('--runs <n>', `schedules per preset (over all shards together; default ${DEFAULT_RUNS}, with --node ${DEFAULT_NODE_RUNS})`)
    .option('--seed <s>', 'the seed every schedule is drawn from; the same seed prints the same bytes', String(DEFAULT_SEED))
    .option('--shard <i/n>', 'run only shard i of n (1-based): every run r with r mod n = i-1; n shards do exactly the runs of one')
    .option(
      '--workers <n>',
      `worker threads to run the campaign on (default: this machine's ${availableParallelism()} cores); the output is the same for any number`,
    )
    .option(
      '--no-swarm',
      'draw every schedule from one mixture of single actions and fault windows, instead of a weight profile per run (mixed, no drops, fault-heavy, leader churn) with the deep units (elect a node, replicate to one follower, crash the leader after an append, change leaders, depose a leader, split a vote, re-elect a leader, overtake an append)',
    )
    .option('--out <dir>', 'where counterexample files go', DEFAULT_OUT)
    .option('--json', 'print the report as JSON')
    .option('--timing', 'add how long each preset took (the output then differs from run to run)')
    .addOption(
      new Option('--node <command>', 'test a Maelstrom-protocol node binary instead: the command (and its arguments) run once per node'),
    )
    .option('--nodes <n>', 'with --node: how many nodes (1..7)', '3')
    .option('--clients <n>', 'with --node: how many clients', '3')
    .addOption(
      new Option(
        '--clock <clock>',
        'with --node: ticks (the node opts in to tick messages and idle lines; exact replay) or wall (it keeps its own time)',
      )
        .choices(['ticks', 'wall'])
        .default('ticks'),
    )
    .option('--reruns <k>', 'with --node --clock wall: a schedule fails while shrinking when it fails in at least one of k runs', '3')
    .option('--tick-ms <ms>', 'with --node --clock wall: real milliseconds one tick of a schedule waits', '20')
    .option('--shrink-budget <n>', 'with --node: runs spent shrinking each counterexample (default 100 on ticks, 20 on the wall clock)')
    .option('--work <dir>', `with --node: where each node's working folder and stderr go`, DEFAULT_WORK)
    .addHelpText(
      'after',
      [
        '',
        `Properties: ${PROPERTY_NAMES.join(', ')}.`,
        'A preset known for nothing (safe, lease-reads) must hold every property; a flawed preset must be caught:',
        'each anomaly it is known for named by some counterexample (other failures it shows are reported, not held',
        'against it). Counterexamples are shrunk, written to --out and replayed with `leaderlog replay FILE`.',
        '',
        'With --system, every system the module exports is tested the same way: one that declares `knownFor`',
        'must be caught with those anomalies, any other must hold. A property needing what a system does not',
        'provide (invariants, settled, role) is not applicable. A system that throws, sends a malformed message',
        'or a message to a node that does not exist, or is not deterministic, is bad input (exit 3).',
        '',
        'Exit: 0 every correct design held and every flawed one was caught; 1 a correct design has a',
        'counterexample or a flawed one was not caught within the runs; 2 nothing unexpected, but a check ran',
        'out of budget (unknown); 3 bad usage or a bad system. With --shard each shard judges only its own runs.',
      ].join('\n'),
    )
    .action(async (flags: TestFlags & NodeFlags) => {
      process.exitCode = flags.node === undefined ? await testCommand(flags) : nodeTestCommand(flags);
    });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(',').filter((name) => name !== '')];
}

async function testCommand(flags: TestFlags): Promise<number> {
  const chosen = flags.system === undefined ? choosePresets(flags).map(presetTarget) : await chooseSystems(flags, flags.system);
  const runs = positiveInteger(flags.runs ?? String(DEFAULT_RUNS), '--runs');
  const workers = flags.workers === undefined ? availableParallelism() : positiveInteger(flags.workers, '--workers');
  const seed = seedOf(flags.seed);
  const shard = flags.shard === undefined ? { index: 0, count: 1 } : shardOf(flags.shard);
  const ownRuns = (total: number) => Math.floor(total / shard.count) + (shard.index < total % shard.count ? 1 : 0);
  const progress = process.stderr.isTTY ? startProgress(chosen.length * ownRuns(runs)) : undefined;

  const reports: PresetReport[] = [];
  const pool = workers > 1 ? new WorkerPool(workers) : null;
  try {
    for (const { subject, ref } of chosen) {
      const started = performance.now();
      progress?.update({ preset: subject.name });
      const outcome = await campaign(subject, ref, pool, {
        runs,
        seed,
        shard,
        ...(flags.swarm === false && { schedules: { swarm: false } }),
        onRun: progress && (() => progress.increment()),
        onShrink: progress && ((property) => progress.update({ preset: `${subject.name}: shrinking a counterexample of ${property}` })),
      });
      const seconds = (performance.now() - started) / 1000;
      const files = writeCounterexamples(outcome, flags.out, shard);
      reports.push({ outcome, judgement: judgePreset(outcome), files, ...(flags.timing && { seconds }) });
    }
  } finally {
    progress?.stop();
    await pool?.close();
  }
  const report: TestReport = { seed, runs, shard, presets: reports };
  const colors = pc.createColors(process.stdout.isTTY === true);
  process.stdout.write(
    flags.json
      ? `${jsonSafe(JSON.stringify(testReportJson(report), null, 2))}\n`
      : terminalSafe(formatTestReport(report, colors), process.stdout.isTTY === true),
  );
  return exitCodeOf(report);
}

/** A subject, and how a campaign worker finds it again. */
interface Target {
  readonly subject: Subject;
  readonly ref: SubjectRef;
}

function presetTarget(preset: Preset): Target {
  return { subject: presetSubject(preset), ref: { kind: 'preset', preset: preset.name } };
}

async function chooseSystems(flags: TestFlags, module: string): Promise<Target[]> {
  if (flags.all || flags.preset) throw new InputError('give --system or --preset/--all, not both');
  const { systems, exportNames, source } = await loadSystems(module);
  return systems.map((system, i) => {
    try {
      return { subject: systemSubject(system, source), ref: { kind: 'system', module, exportName: exportNames[i] } };
    } catch (error) {
      throw asInputError(error, module);
    }
  });
}

/** The campaign, on the pool's workers when there is one; a system's misbehaviour is bad input, named by its module. */
async function campaign(subject: Subject, ref: SubjectRef, pool: CampaignPool | null, options: CampaignOptions): Promise<CampaignOutcome> {
  try {
    return await runCampaignOnWorkers(subject, ref, options, pool);
  } catch (error) {
    throw subject.source ? asInputError(error, subject.source.module) : error;
  }
}

function asInputError(error: unknown, module: string): unknown {
  return error instanceof SystemError ? new InputError(error.message, { file: module }) : error;
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

/** fast-check seeds are 32-bit integers. */
export function seedOf(text: string): number {
  const seed = Number(text);
  if (!/^-?\d+$/.test(text) || seed < -(2 ** 31) || seed >= 2 ** 32)
    throw new InputError(`--seed must be an integer from -2147483648 to 4294967295, got "${text}"`);
  return seed;
}

function shardOf(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count)
    throw new InputError(`--shard must be i/n with 1 <= i <= n, like 2/4; got "${text}"`);
  return { index: index - 1, count };
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
