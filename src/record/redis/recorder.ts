import type { Event } from '../../../history/event.ts';
import { isClientProcess } from '../../../history/event.ts';
import { EventLog } from '../event-log.ts';
import type { EventCounts } from '../event-log.ts';
import { NetworkPartitioner } from '../network-partition.ts';
import { startOpClock } from '../op-clock.ts';
import { sleep } from '../timeouts.ts';
import { RedisCluster } from './cluster.ts';
import { planFaults } from './fault-plan.ts';
import type { FaultKind, FaultPlan } from './fault-plan.ts';
import { Nemesis } from './nemesis.ts';
import { Sentinel } from './sentinel.ts';
import { settle } from './settle.ts';
import { Topology } from './topology.ts';
import { finalReads, keySpaceFor, runWorkload } from './workload.ts';
import type { WorkloadContext, WorkloadOptions } from './workload.ts';

// One recording: start the cluster; run the workload for the duration and, side by side, the fault plan
// to its end (a step may come after the workload stops: a failover once no client writes); end every
// fault; let the replicas catch up; read every key from the primary; and stop everything we started,
// whatever happened on the way.

export type FailoverMode = 'harness' | 'sentinel';

export interface RecordOptions extends WorkloadOptions {
  readonly nodes: number;
  readonly durationMs: number;
  readonly faults: readonly FaultKind[];
  /** Who promotes a replica: the harness (highest replication offset) or Redis Sentinel. */
  readonly failover?: FailoverMode;
  /** A scripted plan instead of the seeded one (tests place faults so outcomes do not rest on luck). */
  readonly plan?: FaultPlan;
  readonly settleTimeoutMs?: number;
  readonly onProgress?: (progress: RecordProgress) => void;
}

export interface RecordProgress {
  readonly elapsedMs: number;
  readonly durationMs: number;
  readonly counts: EventCounts;
}

export interface Recording {
  readonly events: readonly Event[];
  readonly plan: FaultPlan;
  /** Whether every replica caught up with the primary before the final reads. */
  readonly settled: boolean;
  /** Wall time of the workload (from start until its last op completed), for ops-per-second figures. */
  readonly workloadMs: number;
}

const DEFAULT_SETTLE_TIMEOUT_MS = 5000;
const PROGRESS_INTERVAL_MS = 250;
const SENTINEL_POLL_MS = 100;

export function planFor(options: RecordOptions): FaultPlan {
  return options.plan ?? planFaults({ seed: options.seed, durationMs: options.durationMs, faults: options.faults, nodes: options.nodes, clients: options.clients });
}

export async function recordRedis(options: RecordOptions): Promise<Recording> {
  const plan = planFor(options);
  const cluster = await RedisCluster.start({ nodes: options.nodes });
  const partitioner = new NetworkPartitioner();
  let sentinel: Sentinel | undefined;
  let watching: Promise<void> | undefined;
  let finished = false;
  try {
    if (options.failover === 'sentinel') sentinel = await Sentinel.start(cluster, cluster.nodes[0].id);
    const log = new EventLog(startOpClock());
    const topology = new Topology(cluster.nodes.map((node) => node.id), options.clients, log);
    const nemesis = new Nemesis(cluster, partitioner, topology, log, sentinel);
    if (sentinel) watching = watchSentinel(sentinel, nemesis, () => finished);
    const context: WorkloadContext = { cluster, topology, log, options, keys: keySpaceFor(options) };
    const startMs = log.clock.now() / 1e6;
    // The workload's end moves with a late plan, so that the faults it was to see happen while it runs.
    const workloadOver = () =>
      log.clock.now() / 1e6 >= startMs + options.durationMs + nemesis.lateMs && nemesis.doneBefore(options.durationMs);
    const [workloadMs] = await withProgress(options, log, () =>
      Promise.all([runWorkloadUntil(context, workloadOver), nemesis.run(plan, startMs)]),
    );
    await nemesis.healAll();
    finished = true;
    await watching;
    const settled = await settle(cluster, topology.primary, options.settleTimeoutMs ?? DEFAULT_SETTLE_TIMEOUT_MS);
    await finalReads(context, nextProcess(log.events));
    return { events: log.events, plan, settled, workloadMs };
  } finally {
    finished = true;
    await watching;
    await sentinel?.stop();
    await partitioner.heal();
    await cluster.stop();
  }
}

/** Learns every primary the sentinel picks on its own (after a kill or a pause), until `finished()`. */
async function watchSentinel(sentinel: Sentinel, nemesis: Nemesis, finished: () => boolean): Promise<void> {
  while (!finished()) {
    await nemesis.followSentinel(sentinel);
    await sleep(SENTINEL_POLL_MS);
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
  const report = () => options.onProgress?.({ elapsedMs: (log.clock.now() - started) / 1e6, durationMs: options.durationMs, counts: log.counts });
  const ticker = options.onProgress ? setInterval(report, PROGRESS_INTERVAL_MS) : undefined;
  try {
    const result = await phase();
    report();
    return result;
  } finally {
    clearInterval(ticker);
  }
}

/** A process number no client has used. */
function nextProcess(events: readonly Event[]): number {
  let max = -1;
  for (const event of events) if (isClientProcess(event.process) && event.process > max) max = event.process;
  return max + 1;
}
