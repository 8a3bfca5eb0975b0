import { randomInt } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { explanationText } from '../../history/explain/explain.ts';
import { InputError } from '../../history/input-error.ts';
import type { ClientWorkload } from '../../history/workloads/workload.ts';
import { ExitCode } from '../exit-code.ts';
import type { RecordingCheck } from '../record/check-recording.ts';
import { checkRecording, timelinePage } from '../record/check-recording.ts';
import { missingForRecording } from '../record/environment.ts';
import type { FaultKind } from '../record/fault-plan.ts';
import { describeFaultPlan, describePerformedPlan, FAULT_KINDS } from '../record/fault-plan.ts';
import type { SyncMode } from '../record/postgres/cluster.ts';
import { findPostgresTools } from '../record/postgres/environment.ts';
import { recordPostgres } from '../record/postgres/record-postgres.ts';
import type { PartialRecording, Recording, RecordOptions, RecordProgress } from '../record/recorder.ts';
import { planFor } from '../record/recorder.ts';
import { redisUnavailableReason } from '../record/redis/environment.ts';
import type { FailoverMode } from '../record/redis/record-redis.ts';
import { recordRedis } from '../record/redis/record-redis.ts';
import { makeFolder, writeFileAtomic } from '../write-file-atomic.ts';

// `leaderlog record redis|postgres`: start a real primary/replica cluster on loopback addresses, drive a
// workload under a seeded fault plan, stream the history to JSON Lines, check it, and say what it found.
// Both databases share every flag but their own few; the recorder core does the rest.

interface CommonFlags {
  readonly nodes: string;
  readonly clients: string;
  readonly duration: string;
  readonly workload: ClientWorkload;
  readonly reads: string;
  readonly faults: string;
  readonly seed?: string;
  readonly out?: string;
  readonly keys: string;
  readonly opTimeout: string;
}

interface RedisFlags extends CommonFlags {
  readonly wait?: string;
  readonly failover: FailoverMode;
}

interface PostgresFlags extends CommonFlags {
  readonly sync: SyncMode;
  readonly binDir?: string;
}

type CommonOptions = Omit<RecordOptions, 'historyPath'> & { readonly out?: string };

export function registerRecord(program: Command): void {
  const record = program.command('record').description('record a history from a real cluster under faults, and check it');
  const common = (command: Command, replicas: string) =>
    command
      .option('--nodes <n>', `servers: one primary and n-1 ${replicas}`, '3')
      .option('--clients <c>', 'concurrent clients', '5')
      .option('--duration <s>', 'seconds of workload (more while a fault of the plan runs late)', '10')
      .option('--faults <list>', `comma-separated faults from ${FAULT_KINDS.join(',')} ("none" for a fault-free run)`, 'none')
      .option('--seed <s>', 'seed of the fault plan and the operation mix (random when absent; printed)')
      .option('--out <dir>', 'where to write history.jsonl and timeline.html (default: a new dir under ./out/)')
      .option('--keys <k>', 'keys in use at once (a list-append key is replaced by a fresh one after 32 appends)', '3')
      .option('--op-timeout <ms>', 'an op with no reply by then is recorded as info', '500');
  common(
    record
      .command('redis')
      .description('a Redis primary with replicas on 127.0.0.2, 127.0.0.3, ... (needs redis-server; partitions need nft and root)')
      .addOption(
        new Option('--workload <kind>', 'SET/GET of unique values, or RPUSH/LRANGE (only list-append shows every lost write)')
          .choices(['register', 'list-append'])
          .default('register'),
      )
      .addOption(new Option('--reads <where>', 'where reads go').choices(['primary', 'replicas']).default('primary'))
      .option('--wait <k>', 'after each write, WAIT for k replicas; the write counts as ok only if they acknowledge')
      .addOption(new Option('--failover <who>', 'who promotes a replica').choices(['harness', 'sentinel']).default('harness')),
    'replicas',
  ).action(async (flags: RedisFlags) => {
    process.exitCode = await recordRedisCommand(flags);
  });
  common(
    record
      .command('postgres')
      .description(
        'a PostgreSQL primary with streaming standbys on 127.0.0.2, 127.0.0.3, ... (needs postgresql; partitions need nft and root)',
      )
      .addOption(
        new Option(
          '--workload <kind>',
          'upserts and reads of unique values, or array appends read whole (only list-append shows every lost write)',
        )
          .choices(['register', 'list-append'])
          .default('register'),
      )
      .addOption(new Option('--reads <where>', 'where reads go').choices(['primary', 'standbys']).default('primary'))
      .addOption(
        new Option(
          '--sync <mode>',
          'off: asynchronous standbys; on / remote_apply: a commit waits until one standby has flushed / applied it',
        )
          .choices(['off', 'on', 'remote_apply'])
          .default('off'),
      )
      .option(
        '--bin-dir <dir>',
        'where initdb, postgres and pg_basebackup are (default: the newest /usr/lib/postgresql/N/bin, else the PATH)',
      ),
    'standbys',
  ).action(async (flags: PostgresFlags) => {
    process.exitCode = await recordPostgresCommand(flags);
  });
}

async function recordRedisCommand(flags: RedisFlags): Promise<ExitCode> {
  const options = parseCommon(flags, 'replicas');
  const wait = flags.wait === undefined ? undefined : integerFlag('--wait', flags.wait, 0, options.nodes - 1);
  const missing = await missingForRecording(options.faults, [await redisUnavailableReason()]);
  return runRecording('redis', options, missing, (historyPath, hooks) =>
    recordRedis({ ...options, ...hooks, historyPath, failover: flags.failover, ...(wait !== undefined && { wait }) }),
  );
}

async function recordPostgresCommand(flags: PostgresFlags): Promise<ExitCode> {
  const options = parseCommon(flags, 'standbys');
  // A commit waiting for a standby that cannot exist would never be acknowledged.
  if (flags.sync !== 'off' && options.nodes < 2) throw new InputError(`--sync ${flags.sync} needs a standby: use --nodes 2 or more`);
  const tools = findPostgresTools(flags.binDir);
  const missing = await missingForRecording(options.faults, ['missing' in tools ? tools.missing : undefined]);
  return runRecording('postgres', options, missing, (historyPath, hooks) => {
    if ('missing' in tools) throw new Error(tools.missing);
    return recordPostgres({ ...options, ...hooks, historyPath, sync: flags.sync, tools });
  });
}

type Hooks = Pick<RecordOptions, 'onProgress' | 'onInterrupt'>;

/** What every database's command does around its recording: checks, the plan, progress, the report. */
async function runRecording(
  database: string,
  options: CommonOptions,
  missing: readonly string[],
  recordTo: (historyPath: string, hooks: Hooks) => Promise<Recording>,
): Promise<ExitCode> {
  if (missing.length > 0) {
    process.stderr.write(`leaderlog: cannot record: ${missing.join('; ')}\n`);
    return ExitCode.internal;
  }
  const out = options.out ?? join('out', `${database}-seed${options.seed}-${process.pid}`);
  makeFolder(out, 'the output folder');
  const plan = planFor(options);
  process.stdout.write(`seed ${options.seed}; fault plan${plan.length === 0 ? ': none' : ':'}\n`);
  for (const line of describeFaultPlan(plan)) process.stdout.write(`  ${line}\n`);

  const historyPath = join(out, 'history.jsonl');
  const tty = process.stderr.isTTY;
  const clearProgress = () => tty && process.stderr.write('\r\x1b[K');
  let recording: Recording;
  try {
    recording = await recordTo(historyPath, {
      ...(tty && { onProgress: showProgress }),
      onInterrupt: (partial) => {
        clearProgress();
        reportInterrupted(partial);
      },
    });
  } finally {
    clearProgress();
  }
  const check = checkRecording(historyPath);
  const timelinePath = join(out, 'timeline.html');
  writeFileAtomic(timelinePath, timelinePage(check, historyPath));
  report(options, recording, check, timelinePath);
  if (check.violation) return ExitCode.violation;
  return check.judgement.verdict === 'unknown' ? ExitCode.unknown : ExitCode.ok;
}

function parseCommon(flags: CommonFlags, replicas: 'replicas' | 'standbys'): CommonOptions {
  const nodes = integerFlag('--nodes', flags.nodes, 1, 200);
  const faults = parseFaults(flags.faults);
  if (nodes < 2) {
    const needReplica = faults.filter((fault) => fault !== 'kill' && fault !== 'pause');
    const one = replicas === 'replicas' ? 'a replica' : 'a standby';
    if (needReplica.length > 0) throw new InputError(`--faults ${needReplica.join(',')} needs ${one}: use --nodes 2 or more`);
    if (flags.reads === replicas) throw new InputError(`--reads ${replicas} needs ${one}: use --nodes 2 or more`);
  }
  return {
    nodes,
    clients: integerFlag('--clients', flags.clients, 1, 1000),
    durationMs: Math.round(numberFlag('--duration', flags.duration, 0.1, 86_400) * 1000),
    kind: flags.workload,
    reads: flags.reads === 'primary' ? 'primary' : 'replicas',
    faults,
    seed: flags.seed === undefined ? randomInt(0, 2 ** 31) : integerFlag('--seed', flags.seed, 0, 2 ** 32 - 1),
    keys: integerFlag('--keys', flags.keys, 1, 10_000),
    opTimeoutMs: integerFlag('--op-timeout', flags.opTimeout, 10, 600_000),
    ...(flags.out !== undefined && { out: flags.out }),
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

function performedLines(partial: PartialRecording): string[] {
  if (partial.plan.length === 0) return [];
  return ['fault plan as it ran:', ...describePerformedPlan(partial.plan, partial.performed).map((line) => `  ${line}`)];
}

function reportInterrupted(partial: PartialRecording): void {
  const lines = [
    `leaderlog: interrupted: the partial history (${partial.counts.events} events) is in ${partial.historyPath}, not checked; every server it started is stopped`,
    ...performedLines(partial),
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

/** Overwrites hide lost writes: a later write replaces what a lost one left, and no read can tell. */
const REGISTER_LOST_WRITES_NOTE =
  'note: a register run shows a lost write only where a read saw it missing (a later overwrite hides the rest); --workload list-append shows every one';

function report(options: CommonOptions, recording: Recording, check: RecordingCheck, timelinePath: string): void {
  const ops = check.history.operations;
  const count = (result: string) => ops.filter((op) => op.result === result).length;
  const perSecond = Math.round((ops.length / recording.workloadMs) * 1000);
  const lines = [
    `recorded ${ops.length} ops (ok ${count('ok')}, fail ${count('fail')}, info ${count('info')}) in ${(recording.workloadMs / 1000).toFixed(1)} s: ${perSecond} ops/s`,
    ...performedLines(recording),
    ...(recording.settled ? [] : ['warning: the replicas had not caught up with the primary before the final reads']),
    `history: ${recording.historyPath} (${check.history.events.length} events, ${(statSync(recording.historyPath).size / 1e6).toFixed(1)} MB)`,
    `verdict: ${check.judgement.verdict} as a ${check.judgement.model}`,
    ...(check.anomalies.length === 0 ? ['anomalies: none'] : []),
    ...explanationText(check.history, check.judgement.explanation, { timeUnit: 'nanoseconds' }).split('\n').filter(Boolean),
    ...(options.kind === 'register' ? [REGISTER_LOST_WRITES_NOTE] : []),
    `timeline: ${timelinePath}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
