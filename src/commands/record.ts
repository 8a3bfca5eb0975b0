import { randomInt } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { explanationText } from '../../history/explain.ts';
import { InputError } from '../../history/input-error.ts';
import { ExitCode } from '../exit-code.ts';
import { checkRecording, timelinePage } from '../record/check-recording.ts';
import type { RecordingCheck } from '../record/check-recording.ts';
import { missingForRecording } from '../record/redis/environment.ts';
import { FAULT_KINDS, describeFaultPlan } from '../record/redis/fault-plan.ts';
import type { FaultKind } from '../record/redis/fault-plan.ts';
import { planFor, recordRedis } from '../record/redis/recorder.ts';
import type { FailoverMode, RecordOptions, RecordProgress } from '../record/redis/recorder.ts';
import type { ReadTarget, WorkloadKind } from '../record/redis/workload.ts';
import { writeJsonlFile } from '../../history/jsonl.ts';
import { writeErrorReason, writeFileAtomic } from '../write-file-atomic.ts';
import type { Recording } from '../record/redis/recorder.ts';

// `leaderlog record redis`: start a real Redis primary/replica cluster on loopback addresses, drive a
// workload under a seeded fault plan, write the history as JSON Lines, check it, and say what it found.

interface RecordRedisFlags {
  readonly nodes: string;
  readonly clients: string;
  readonly duration: string;
  readonly workload: WorkloadKind;
  readonly reads: ReadTarget;
  readonly wait?: string;
  readonly faults: string;
  readonly failover: FailoverMode;
  readonly seed?: string;
  readonly out?: string;
  readonly keys: string;
  readonly opTimeout: string;
}

export function registerRecord(program: Command): void {
  const record = program.command('record').description('record a history from a real cluster under faults, and check it');
  record
    .command('redis')
    .description('a Redis primary with replicas on 127.0.0.2, 127.0.0.3, ... (needs redis-server; partitions need nft and root)')
    .option('--nodes <n>', 'servers: one primary and n-1 replicas', '3')
    .option('--clients <c>', 'concurrent clients', '5')
    .option('--duration <s>', 'seconds of workload (more while a fault of the plan runs late)', '10')
    .addOption(new Option('--workload <kind>', 'SET/GET of unique values, or RPUSH/LRANGE').choices(['register', 'list-append']).default('register'))
    .addOption(new Option('--reads <where>', 'where reads go').choices(['primary', 'replicas']).default('primary'))
    .option('--wait <k>', 'after each write, WAIT for k replicas; the write counts as ok only if they acknowledge')
    .option('--faults <list>', `comma-separated faults from ${FAULT_KINDS.join(',')} ("none" for a fault-free run)`, 'none')
    .addOption(new Option('--failover <who>', 'who promotes a replica').choices(['harness', 'sentinel']).default('harness'))
    .option('--seed <s>', 'seed of the fault plan and the operation mix (random when absent; printed)')
    .option('--out <dir>', 'where to write history.jsonl and timeline.html (default: a new dir under ./out/)')
    .option('--keys <k>', 'keys in use at once (a list-append key is replaced by a fresh one after 32 appends)', '3')
    .option('--op-timeout <ms>', 'an op with no reply by then is recorded as info', '500')
    .action(async (flags: RecordRedisFlags) => {
      process.exitCode = await recordRedisCommand(flags);
    });
}

async function recordRedisCommand(flags: RecordRedisFlags): Promise<ExitCode> {
  const options = parseFlags(flags);
  const missing = await missingForRecording(options.faults.includes('partition'));
  if (missing.length > 0) {
    process.stderr.write(`leaderlog: cannot record: ${missing.join('; ')}\n`);
    return ExitCode.internal;
  }
  const out = flags.out ?? join('out', `redis-seed${options.seed}-${process.pid}`);
  try {
    mkdirSync(out, { recursive: true });
  } catch (error) {
    throw new InputError(`cannot make the output folder: ${writeErrorReason(error)}`, { file: out });
  }
  const plan = planFor(options);
  process.stdout.write(`seed ${options.seed}; fault plan${plan.length === 0 ? ': none' : ':'}\n`);
  for (const line of describeFaultPlan(plan)) process.stdout.write(`  ${line}\n`);

  const progress = process.stderr.isTTY ? showProgress : undefined;
  let recording;
  try {
    recording = await recordRedis({ ...options, plan, onProgress: progress });
  } finally {
    if (progress) process.stderr.write('\r\x1b[K');
  }
  const historyPath = join(out, 'history.jsonl');
  writeJsonlFile(historyPath, recording.events);
  const check = checkRecording(historyPath);
  const timelinePath = join(out, 'timeline.html');
  writeFileAtomic(timelinePath, timelinePage(check, historyPath));
  report(recording, check, historyPath, timelinePath);
  if (check.violation) return ExitCode.violation;
  return check.judgement.verdict === 'unknown' ? ExitCode.unknown : ExitCode.ok;
}

function parseFlags(flags: RecordRedisFlags): RecordOptions {
  const nodes = integerFlag('--nodes', flags.nodes, 1, 200);
  const faults = parseFaults(flags.faults);
  if (nodes < 2) {
    const needReplica = faults.filter((fault) => fault !== 'kill' && fault !== 'pause');
    if (needReplica.length > 0) throw new InputError(`--faults ${needReplica.join(',')} needs a replica: use --nodes 2 or more`);
    if (flags.reads === 'replicas') throw new InputError('--reads replicas needs a replica: use --nodes 2 or more');
  }
  const wait = flags.wait === undefined ? undefined : integerFlag('--wait', flags.wait, 0, nodes - 1);
  return {
    nodes,
    clients: integerFlag('--clients', flags.clients, 1, 1000),
    durationMs: Math.round(numberFlag('--duration', flags.duration, 0.1, 86_400) * 1000),
    kind: flags.workload,
    reads: flags.reads,
    ...(wait !== undefined && { wait }),
    faults,
    failover: flags.failover,
    seed: flags.seed === undefined ? randomInt(0, 2 ** 31) : integerFlag('--seed', flags.seed, 0, 2 ** 32 - 1),
    keys: integerFlag('--keys', flags.keys, 1, 10_000),
    opTimeoutMs: integerFlag('--op-timeout', flags.opTimeout, 10, 600_000),
  };
}

function parseFaults(list: string): FaultKind[] {
  if (list.trim() === 'none' || list.trim() === '') return [];
  const faults = list.split(',').map((fault) => fault.trim());
  for (const fault of faults) {
    if (!(FAULT_KINDS as readonly string[]).includes(fault)) {
      throw new InputError(`--faults: unknown fault "${fault}"; expected a comma-separated list of ${FAULT_KINDS.join(', ')}, or none`);
    }
  }
  return [...new Set(faults as FaultKind[])];
}

function numberFlag(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) {
    throw new InputError(`${name}: expected a number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function integerFlag(name: string, text: string, min: number, max: number): number {
  const value = numberFlag(name, text, min, max);
  if (!Number.isInteger(value)) throw new InputError(`${name}: expected a whole number, got "${text}"`);
  return value;
}

function showProgress({ elapsedMs, durationMs, counts }: RecordProgress): void {
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  const ops = counts.ok + counts.fail + counts.info;
  process.stderr.write(
    `\r\x1b[Krecording ${seconds(Math.min(elapsedMs, durationMs))}/${seconds(durationMs)} s  ${ops} ops (ok ${counts.ok}, fail ${counts.fail}, info ${counts.info})  ${counts.faults} fault events`,
  );
}

function report(recording: Recording, check: RecordingCheck, historyPath: string, timelinePath: string): void {
  const ops = check.history.operations;
  const count = (result: string) => ops.filter((op) => op.result === result).length;
  const perSecond = Math.round((ops.length / recording.workloadMs) * 1000);
  const lines = [
    `recorded ${ops.length} ops (ok ${count('ok')}, fail ${count('fail')}, info ${count('info')}) in ${(recording.workloadMs / 1000).toFixed(1)} s: ${perSecond} ops/s`,
    ...(recording.settled ? [] : ['warning: the replicas had not caught up with the primary before the final reads']),
    `history: ${historyPath} (${check.history.events.length} events, ${(statSync(historyPath).size / 1e6).toFixed(1)} MB)`,
    `verdict: ${check.judgement.verdict} as a ${check.judgement.model}`,
    ...(check.anomalies.length === 0 ? ['anomalies: none'] : []),
    ...explanationText(check.history, check.judgement.explanation, { timeUnit: 'nanoseconds' }).split('\n').filter(Boolean),
    `timeline: ${timelinePath}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
