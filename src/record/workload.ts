import type { Value } from '../../history/value.ts';
import type { ClientWorkload } from '../../history/workloads/workload.ts';
import type { Cluster, ClusterNode } from './cluster.ts';
import type { EventLog } from './event-log.ts';
import { APPENDS_PER_LIST_KEY, KeySpace } from './key-space.ts';
import type { SeededRandom } from './seeded-random.ts';
import { seededRandom } from './seeded-random.ts';
import { sleep, TIMED_OUT, withTimeout } from './timeouts.ts';
import type { Topology } from './topology.ts';

// Concurrent clients over a few keys, each op recorded as invoke and completion. The completion says
// what is certain: ok (acknowledged), fail (certainly not applied: refused before sending, or an error
// reply such as READONLY) or info (sent, then a timeout or a lost connection: it may have applied).
// After an info the client's process is retired and it goes on as process + clients, so no process
// ever has two ops in flight (Jepsen's convention).

// A database comes in as a Driver: it opens sessions to a node, and a session runs one op and says how
// it ended, classifying the database's own errors (a refused write is a fail, a cancelled wait for
// replicas an info); whatever it throws after sending is an info.

type ReadTarget = 'primary' | 'replicas';

export interface WorkloadOptions {
  readonly kind: ClientWorkload;
  readonly clients: number;
  readonly keys: number;
  readonly reads: ReadTarget;
  readonly opTimeoutMs: number;
  readonly seed: number;
}

export interface OpSpec {
  readonly f: 'read' | 'write' | 'append';
  readonly key: number;
  /** The unique value written; null for a read. */
  readonly value: number | null;
}

/** How far an op got: not sent yet, sent, or applied and waiting for replicas to acknowledge. */
export type Phase = 'connecting' | 'sent' | 'acknowledging';
export type Outcome = { readonly type: 'ok'; readonly value: Value } | { readonly type: 'fail' | 'info'; readonly error: string };

export interface Session {
  /** Runs `op`, calling `reached` as it gets further; a read's ok value is what it read. */
  run(op: OpSpec, reached: (phase: Phase) => void): Promise<Outcome>;
  /** Whether it can take another op. */
  readonly usable: boolean;
  /** Drops the connection now, whatever state it is in. */
  close(): void;
}

export interface Driver {
  /** Connects to `node`; rejects when it cannot (nothing was sent). */
  open(node: ClusterNode, timeoutMs: number): Promise<Session>;
}

export interface WorkloadContext {
  readonly cluster: Cluster;
  readonly driver: Driver;
  readonly topology: Topology;
  readonly log: EventLog;
  readonly options: WorkloadOptions;
  readonly keys: KeySpace;
}

export function keySpaceFor(options: WorkloadOptions): KeySpace {
  return new KeySpace(options.keys, options.kind === 'list-append' ? APPENDS_PER_LIST_KEY : Infinity);
}

/** After a fail, wait a little: a refused connection fails at once and would otherwise spin. */
const FAIL_BACKOFF_MS = 10;

/** Runs every client until `stopped()`; resolves when their last ops have completed. */
export async function runWorkload(context: WorkloadContext, stopped: () => boolean): Promise<void> {
  const { clients, seed } = context.options;
  const nextValue = uniqueValues();
  const workers = Array.from({ length: clients }, (_, index) => {
    const nextOp = opGenerator(context, seededRandom(seed + 7919 * (index + 1)), nextValue);
    return new WorkloadClient(index, index, context).run(nextOp, stopped);
  });
  await Promise.all(workers);
}

/** Reads every key the run touched once, from the current primary, as process `process`. */
export async function finalReads(context: WorkloadContext, process: number): Promise<void> {
  const reader = new WorkloadClient(0, process, context);
  try {
    for (const key of context.keys.everyKey()) await reader.execute({ f: 'read', key, value: null }, context.topology.primary);
  } finally {
    reader.close();
  }
}

function uniqueValues(): () => number {
  let last = 0;
  return () => ++last;
}

/** Half reads, half writes (or appends) of fresh values, on keys drawn from the key space. */
function opGenerator(context: WorkloadContext, random: SeededRandom, nextValue: () => number): () => OpSpec {
  const { kind, keys } = context.options;
  return () => {
    const key = context.keys.key(random.int(0, keys - 1));
    if (random.next() < 0.5) return { f: 'read', key, value: null };
    if (kind === 'register') return { f: 'write', key, value: nextValue() };
    context.keys.appended(key);
    return { f: 'append', key, value: nextValue() };
  };
}

interface AttemptState {
  phase: Phase;
  /** The op timed out and was recorded: whatever the attempt still does is not part of the history. */
  abandoned: boolean;
}

class WorkloadClient {
  readonly #sessions = new Map<string, Session>();
  #readCursor = 0;

  constructor(
    readonly index: number,
    public process: number,
    private readonly context: WorkloadContext,
  ) {}

  /** Runs ops from `nextOp` one after another until `stopped()`. */
  async run(nextOp: () => OpSpec, stopped: () => boolean): Promise<void> {
    try {
      while (!stopped()) {
        await this.context.log.ready();
        const op = nextOp();
        const outcome = await this.execute(op, op.f === 'read' ? this.#readNode() : this.context.topology.primaryFor(this.index));
        if (outcome === 'fail') await sleep(FAIL_BACKOFF_MS);
      }
    } finally {
      this.close();
    }
  }

  close(): void {
    for (const session of this.#sessions.values()) session.close();
    this.#sessions.clear();
  }

  /** Runs one op on `nodeId` and records it; returns how it completed. */
  async execute(op: OpSpec, nodeId: string): Promise<Outcome['type']> {
    const { log, topology, options } = this.context;
    const process = this.process;
    const base = { process, f: op.f, key: op.key } as const;
    log.append({ type: 'invoke', ...base, value: op.value, node: nodeId });
    const state: AttemptState = { phase: 'connecting', abandoned: false };
    let outcome = await withTimeout(this.#attempt(op, nodeId, state), options.opTimeoutMs);
    if (outcome === TIMED_OUT) {
      state.abandoned = true;
      outcome =
        state.phase === 'connecting'
          ? { type: 'fail', error: `no connection to ${nodeId} within ${options.opTimeoutMs} ms; nothing sent` }
          : { type: 'info', error: `no reply from ${nodeId} within ${options.opTimeoutMs} ms` };
    }
    if (outcome.type === 'ok') {
      const epoch = topology.leaderEpoch(nodeId);
      log.append({ type: 'ok', ...base, value: outcome.value, node: nodeId, ...(epoch !== undefined && { epoch }) });
    } else {
      log.append({ type: outcome.type, ...base, value: op.value, node: nodeId, error: outcome.error });
    }
    // A connection that failed to open, or that may hold an unanswered command, is never reused.
    if (outcome.type === 'info' || state.phase === 'connecting') this.#drop(nodeId);
    if (outcome.type === 'info') this.process += options.clients;
    return outcome.type;
  }

  async #attempt(op: OpSpec, nodeId: string, state: AttemptState): Promise<Outcome> {
    let session: Session;
    try {
      session = await this.#session(nodeId, state);
    } catch (error) {
      return { type: 'fail', error: `could not connect to ${nodeId}: ${error instanceof Error ? error.message : String(error)}` };
    }
    try {
      return await session.run(op, (phase) => (state.phase = phase));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return state.phase === 'connecting' ? { type: 'fail', error: message } : { type: 'info', error: message };
    }
  }

  async #session(nodeId: string, state: AttemptState): Promise<Session> {
    const existing = this.#sessions.get(nodeId);
    if (existing?.usable) return existing;
    this.#drop(nodeId);
    const session = await this.context.driver.open(this.context.cluster.node(nodeId), this.context.options.opTimeoutMs);
    // Connected after the op gave up: nobody will use or close it but us.
    if (state.abandoned) {
      session.close();
      throw new Error('connected too late');
    }
    this.#sessions.set(nodeId, session);
    return session;
  }

  #drop(nodeId: string): void {
    this.#sessions.get(nodeId)?.close();
    this.#sessions.delete(nodeId);
  }

  #readNode(): string {
    const { topology, options } = this.context;
    if (options.reads === 'primary') return topology.primaryFor(this.index);
    const replicas = topology.others();
    if (replicas.length === 0) return topology.primary;
    return replicas[this.#readCursor++ % replicas.length];
  }
}
