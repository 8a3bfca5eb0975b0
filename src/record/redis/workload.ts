import { ErrorReply } from 'redis';
import type { Value } from '../../../history/value.ts';
import type { EventLog } from '../event-log.ts';
import { seededRandom } from '../seeded-random.ts';
import type { SeededRandom } from '../seeded-random.ts';
import { TIMED_OUT, sleep, withTimeout } from '../timeouts.ts';
import type { RedisCluster } from './cluster.ts';
import { dropConnection, newConnection } from './connection.ts';
import type { RedisConnection } from './connection.ts';
import { APPENDS_PER_LIST_KEY, KeySpace } from './key-space.ts';
import type { Topology } from './topology.ts';

// Concurrent clients over a few keys, each op recorded as invoke and completion. The completion says
// what is certain: ok (acknowledged), fail (certainly not applied: refused before sending, or an error
// reply such as READONLY) or info (sent, then a timeout or a lost connection: it may have applied).
// After an info the client's process is retired and it goes on as process + clients, so no process
// ever has two ops in flight (Jepsen's convention).

export type WorkloadKind = 'register' | 'list-append';
export type ReadTarget = 'primary' | 'replicas';

export interface WorkloadOptions {
  readonly kind: WorkloadKind;
  readonly clients: number;
  readonly keys: number;
  readonly reads: ReadTarget;
  /** WAIT for this many replicas after each write; the write is ok only if they acknowledge. */
  readonly wait?: number;
  readonly opTimeoutMs: number;
  readonly seed: number;
}

export interface WorkloadContext {
  readonly cluster: RedisCluster;
  readonly topology: Topology;
  readonly log: EventLog;
  readonly options: WorkloadOptions;
  readonly keys: KeySpace;
}

export function keySpaceFor(options: WorkloadOptions): KeySpace {
  return new KeySpace(options.keys, options.kind === 'list-append' ? APPENDS_PER_LIST_KEY : Infinity);
}

interface OpSpec {
  readonly f: 'read' | 'write' | 'append';
  readonly key: number;
  /** The unique value written; null for a read. */
  readonly value: number | null;
}

type Phase = 'connecting' | 'sent' | 'acknowledging';
type Outcome = { readonly type: 'ok'; readonly value: Value } | { readonly type: 'fail' | 'info'; readonly error: string };

/** After a fail, wait a little: a refused connection fails at once and would otherwise spin. */
const FAIL_BACKOFF_MS = 10;

export function redisKey(key: number): string {
  return `leaderlog:${key}`;
}

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

class WorkloadClient {
  readonly #connections = new Map<string, RedisConnection>();
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
        const op = nextOp();
        const outcome = await this.execute(op, op.f === 'read' ? this.#readNode() : this.context.topology.primaryFor(this.index));
        if (outcome === 'fail') await sleep(FAIL_BACKOFF_MS);
      }
    } finally {
      this.close();
    }
  }

  close(): void {
    for (const connection of this.#connections.values()) dropConnection(connection);
    this.#connections.clear();
  }

  /** Runs one op on `nodeId` and records it; returns how it completed. */
  async execute(op: OpSpec, nodeId: string): Promise<Outcome['type']> {
    const { log, topology, options } = this.context;
    const process = this.process;
    const base = { process, f: op.f, key: op.key } as const;
    log.append({ type: 'invoke', ...base, value: op.value, node: nodeId });
    const state: { phase: Phase } = { phase: 'connecting' };
    let outcome = await withTimeout(this.#attempt(op, nodeId, state), options.opTimeoutMs);
    if (outcome === TIMED_OUT) {
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

  async #attempt(op: OpSpec, nodeId: string, state: { phase: Phase }): Promise<Outcome> {
    const { wait, opTimeoutMs } = this.context.options;
    try {
      const connection = await this.#connection(nodeId);
      state.phase = 'sent';
      const reply = await connection.sendCommand(command(this.context.options.kind, op));
      if (op.f !== 'read' && wait !== undefined) {
        state.phase = 'acknowledging';
        // WAIT's own timeout leaves room in the op's deadline for its reply.
        const acknowledged = Number(await connection.sendCommand(['WAIT', String(wait), String(Math.max(1, Math.floor(opTimeoutMs / 2)))]));
        if (acknowledged < wait) return { type: 'info', error: `applied on ${nodeId}, but WAIT ${wait} saw only ${acknowledged} replica(s) acknowledge` };
      }
      return { type: 'ok', value: op.f === 'read' ? parseRead(this.context.options.kind, reply) : op.value };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (state.phase === 'connecting') return { type: 'fail', error: `could not connect to ${nodeId}: ${message}` };
      // An error reply to the command itself means the server refused it; one to WAIT comes after the write applied.
      if (state.phase === 'sent' && error instanceof ErrorReply) return { type: 'fail', error: message };
      return { type: 'info', error: message };
    }
  }

  async #connection(nodeId: string): Promise<RedisConnection> {
    const existing = this.#connections.get(nodeId);
    if (existing?.isReady) return existing;
    this.#drop(nodeId);
    const connection = newConnection(this.context.cluster.node(nodeId), this.context.options.opTimeoutMs);
    this.#connections.set(nodeId, connection);
    await connection.connect();
    return connection;
  }

  #drop(nodeId: string): void {
    const connection = this.#connections.get(nodeId);
    if (!connection) return;
    dropConnection(connection);
    this.#connections.delete(nodeId);
  }

  #readNode(): string {
    const { topology, options } = this.context;
    if (options.reads === 'primary') return topology.primaryFor(this.index);
    const replicas = topology.others();
    if (replicas.length === 0) return topology.primary;
    return replicas[this.#readCursor++ % replicas.length];
  }
}

function command(kind: WorkloadKind, op: OpSpec): string[] {
  const key = redisKey(op.key);
  if (op.f === 'read') return kind === 'register' ? ['GET', key] : ['LRANGE', key, '0', '-1'];
  return [kind === 'register' ? 'SET' : 'RPUSH', key, String(op.value)];
}

function parseRead(kind: WorkloadKind, reply: unknown): Value {
  if (kind === 'register') return reply === null ? null : Number(reply);
  return (reply as string[]).map(Number);
}
