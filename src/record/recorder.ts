import type { Cluster, FailoverAuthority } from './cluster.ts';
import { holdUntilExit } from './emergency-cleanup.ts';
import type { EventCounts } from './event-log.ts';
import { EventLog } from './event-log.ts';
import type { FaultKind, FaultPlan, PerformedStep } from './fault-plan.ts';
import { planFaults } from './fault-plan.ts';
import { openHistoryFile } from './history-file.ts';
import { Nemesis } from './nemesis.ts';
import { NetworkPartitioner, sweepOrphanTables } from './network-partition.ts';
import { startOpClock } from './op-clock.ts';
import { sleep } from './timeouts.ts';
import { Topology } from './topology.ts';
import type { Driver, WorkloadContext, WorkloadOptions } from './workload.ts';
import { finalReads, keySpaceFor, runWorkload } from './workload.ts';

// One recording, for any database: start the cluster; run the workload for the duration and, side by
// side, the fault plan to its end (a step may come after the workload stops: a failover once no client
// writes); end every fault; let the replicas catch up; read every key from the primary; and stop
// everything we started, whatever happened on the way. Events stream to the history file as they
// happen; an interrupt (Ctrl-C) closes the file with what was recorded so far.

export interface Database {
  /** As in messages and temp dir names: redis, postgres. */
  readonly name: string;
  start(nodes: number): Promise<Cluster>;
  driver(cluster: Cluster): Driver;
  /** Who decides failovers when not the harness (Redis Sentinel). */
  authority?(cluster: Cluster): Promise<FailoverAuthority | undefined>;
}

export interface RecordOptions extends WorkloadOptions {
  readonly nodes: number;
  readonly durationMs: number;
  readonly faults: readonly FaultKind[];
  /** A scripted plan instead of the seeded one (tests place faults so outcomes do not rest on luck). */
  readonly plan?: FaultPlan;
  /** Where the JSON Lines history goes, written as the run goes. */
  readonly historyPath: string;
  readonly settleTimeoutMs?: number;
  readonly onProgress?: (progress: RecordProgress) => void;
  /** Called on Ctrl-C (or SIGTERM), once the partial history is in place and before leaderlog exits. */
  readonly onInterrupt?: (partial: PartialRecording) => void;
}

export interface RecordProgress {
  readonly elapsedMs: number;
  readonly durationMs: number;
  readonly counts: EventCounts;
}

export interface PartialRecording {
  readonly historyPath: string;
  readonly counts: EventCounts;
  readonly plan: FaultPlan;
  readonly performed: readonly PerformedStep[];
}

export interface Recording extends PartialRecording {
  /** Whether every replica caught up with the primary before the final reads. */
  readonly settled: boolean;
  /** Wall time of the workload (from start until its last op completed), for ops-per-second figures. */
  readonly workloadMs: number;
  /** Every server process started, and every process they forked that was seen: all gone by now. */
  readonly serverPids: readonly number[];
}

const DEFAULT_SETTLE_TIMEOUT_MS = 5000;
const NO_EVENTS: EventCounts = { events: 0, ok: 0, fail: 0, info: 0, faults: 0 };
const PROGRESS_INTERVAL_MS = 250;
const AUTHORITY_POLL_MS = 100;

export function planFor(options: Pick<RecordOptions, 'plan' | 'seed' | 'durationMs' | 'faults' | 'nodes' | 'clients'>): FaultPlan {
  return (
    options.plan ??
    planFaults({
      seed: options.seed,
      durationMs: options.durationMs,
      faults: options.faults,
      nodes: options.nodes,
      clients: options.clients,
    })
  );
}

export async function record(database: Database, options: RecordOptions): Promise<Recording> {
  const plan = planFor(options);
  // A run SIGKILLed mid-partition could not remove its table: whoever runs next does.
  await sweepOrphanTables().catch(() => {});
  const history = openHistoryFile(options.historyPath);
  let log: EventLog | undefined;
  let nemesis: Nemesis | undefined;
  const partial = (): PartialRecording => ({
    historyPath: options.historyPath,
    counts: log?.counts ?? NO_EVENTS,
    plan,
    performed: nemesis?.performed ?? [],
  });
  let told = false;
  const tellInterrupted = () => {
    if (told) return;
    told = true;
    options.onInterrupt?.(partial());
  };
  // On a signal, `soon` and then `now` run: the partial history is in place once, and said once.
  const releaseHistory = holdUntilExit({
    now: () => {
      history.closeNow();
      tellInterrupted();
    },
    soon: async () => {
      await history.close();
      tellInterrupted();
    },
  });
  let cluster: Cluster | undefined;
  const partitioner = new NetworkPartitioner();
  let authority: FailoverAuthority | undefined;
  let watching: Promise<void> | undefined;
  let finished = false;
  try {
    cluster = await database.start(options.nodes);
    authority = await database.authority?.(cluster);
    // Time 0 is when the cluster is up: the history shows the run, not the servers' start.
    log = new EventLog(startOpClock(), history);
    const topology = new Topology(
      cluster.nodes.map((node) => node.id),
      options.clients,
      log,
    );
    nemesis = new Nemesis(cluster, partitioner, topology, log, authority);
    const running = nemesis;
    if (authority) watching = watchAuthority(authority, running, () => finished);
    const context: WorkloadContext = { cluster, driver: database.driver(cluster), topology, log, options, keys: keySpaceFor(options) };
    const startMs = log.clock.now() / 1e6;
    // The workload's end moves with a late plan, so that the faults it was to see happen while it runs.
    const workloadOver = () =>
      (log as EventLog).clock.now() / 1e6 >= startMs + options.durationMs + running.lateMs && running.doneBefore(options.durationMs);
    const [workloadMs] = await withProgress(options, log, () =>
      Promise.all([runWorkloadUntil(context, workloadOver), running.run(plan, startMs)]),
    );
    await running.healAll();
    finished = true;
    await watching;
    const settled = await cluster.settle(topology.primary, options.settleTimeoutMs ?? DEFAULT_SETTLE_TIMEOUT_MS);
    await finalReads(context, log.nextProcess());
    releaseHistory();
    await history.close();
    return { ...partial(), settled, workloadMs, serverPids: cluster.everyPid() };
  } catch (error) {
    releaseHistory();
    await history.abort();
    throw error;
  } finally {
    finished = true;
    await watching;
    await authority?.stop();
    await partitioner.heal();
    await cluster?.stop();
  }
}

/** Learns every primary the authority picks on its own (after a kill or a pause), until `finished()`. */
async function watchAuthority(authority: FailoverAuthority, nemesis: Nemesis, finished: () => boolean): Promise<void> {
  while (!finished()) {
    await nemesis.followAuthority(authority);
    await sleep(AUTHORITY_POLL_MS);
  }
}

/** Runs the workload until `over()`; resolves with its wall time in ms, once its last ops complete. */
async function runWorkloadUntil(context: WorkloadContext, over: () => boolean): Promise<number> {
  const started = context.log.clock.now();
  await runWorkload(context, over);
  return (context.log.clock.now() - started) / 1e6;
}

/** Runs `phase`, reporting progress every so often while it runs. */
async function withProgress<T>(options: RecordOptions, log: EventLog, phase: () => Promise<T>): Promise<T> {
  const started = log.clock.now();
  const report = () =>
    options.onProgress?.({ elapsedMs: (log.clock.now() - started) / 1e6, durationMs: options.durationMs, counts: log.counts });
  const ticker = options.onProgress ? setInterval(report, PROGRESS_INTERVAL_MS) : undefined;
  try {
    const result = await phase();
    report();
    return result;
  } finally {
    clearInterval(ticker);
  }
}
