import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster, ClusterNode, NodePosition } from '../cluster.ts';
import { holdUntilExit } from '../emergency-cleanup.ts';
import { findFreePort } from '../free-port.ts';
import type { Link } from '../network-partition.ts';
import { linksBetween } from '../network-partition.ts';
import { makeRunDir } from '../run-dir.ts';
import { ServerProcess } from '../server-process.ts';
import { ServerSet } from '../server-set.ts';
import { sleep } from '../timeouts.ts';
import { adminCommand, replicationInfo } from './admin.ts';
import type { Endpoint } from './connection.ts';
import { settle } from './settle.ts';

// A Redis primary/replica cluster of real redis-server processes, each on its own loopback address
// (127.0.0.2, 127.0.0.3, ...) and its own temp dir, wired by REPLICAOF. Node n1 starts as primary.
// Only what this class started is ever signalled or deleted, and all of it goes on stop() or exit.

export interface RedisNode extends ClusterNode {
  readonly dir: string;
}

export interface ClusterOptions {
  readonly nodes: number;
  /** Last octet of n1's address; node i gets 127.0.0.(first + i - 1). */
  readonly firstAddress?: number;
  readonly readyTimeoutMs?: number;
}

const DEFAULT_FIRST_ADDRESS = 2;
const DEFAULT_READY_TIMEOUT_MS = 10_000;

export class RedisCluster implements Cluster {
  readonly #servers = new ServerSet();
  readonly #release: () => void;
  readonly #readyTimeoutMs: number;

  private constructor(
    readonly nodes: readonly RedisNode[],
    readonly root: string,
    readyTimeoutMs: number,
  ) {
    this.#readyTimeoutMs = readyTimeoutMs;
    this.#release = holdUntilExit({ now: () => this.stopNow(), soon: () => this.#killAll() });
  }

  /** Starts every node, n1 as primary and the rest as its replicas, and waits until they are in sync. */
  static async start(options: ClusterOptions): Promise<RedisCluster> {
    const first = options.firstAddress ?? DEFAULT_FIRST_ADDRESS;
    if (options.nodes < 1 || first + options.nodes - 1 > 254) throw new Error(`cannot place ${options.nodes} nodes from 127.0.0.${first}`);
    const root = makeRunDir('redis');
    const nodes: RedisNode[] = [];
    for (let i = 0; i < options.nodes; i++) {
      const host = `127.0.0.${first + i}`;
      const dir = join(root, `n${i + 1}`);
      mkdirSync(dir);
      nodes.push({ id: `n${i + 1}`, host, port: await findFreePort(host), dir });
    }
    const cluster = new RedisCluster(nodes, root, options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
    try {
      const [primary, ...replicas] = nodes;
      await cluster.startNode(primary.id, null);
      await Promise.all(replicas.map((replica) => cluster.startNode(replica.id, primary)));
      await cluster.waitForLinks(replicas);
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  node(id: string): RedisNode {
    const node = this.nodes.find((candidate) => candidate.id === id);
    if (!node) throw new Error(`no node ${id}`);
    return node;
  }

  isRunning(id: string): boolean {
    return this.#servers.isRunning(id);
  }

  isPaused(id: string): boolean {
    return this.#servers.isPaused(id);
  }

  everyPid(): number[] {
    return this.#servers.everyPid();
  }

  /** Starts (or restarts, on the same address, port and dir) a node, as a replica of `replicaOf` or as a primary. */
  async startNode(id: string, replicaOf: Endpoint | null): Promise<void> {
    if (this.isRunning(id)) throw new Error(`${id} is already running`);
    const node = this.node(id);
    const logFile = join(node.dir, 'redis.log');
    const server = await ServerProcess.spawn('redis-server', serverArgs(node, replicaOf, logFile), { logFile });
    this.#servers.add(id, server);
    await this.#waitUntilReady(node, server);
  }

  pause(id: string): void {
    this.#servers.running(id).pause();
  }

  resume(id: string): void {
    this.#servers.running(id).resume();
  }

  async kill(id: string): Promise<void> {
    await this.#servers.running(id).kill();
  }

  /** Redis keeps nothing across a restart here (no RDB, no AOF): the node comes back empty. */
  async restart(id: string, primary: string | null): Promise<{ readonly empty: true }> {
    await this.startNode(id, primary === null ? null : this.node(primary));
    return { empty: true };
  }

  async promote(id: string): Promise<void> {
    await adminCommand(this.node(id), ['REPLICAOF', 'NO', 'ONE']);
  }

  async follow(id: string, primary: string): Promise<void> {
    const { host, port } = this.node(primary);
    await adminCommand(this.node(id), ['REPLICAOF', host, String(port)]);
  }

  async position(id: string, timeoutMs: number): Promise<NodePosition | undefined> {
    const info = await replicationInfo(this.node(id), timeoutMs).catch(() => undefined);
    return info && { role: info.role === 'master' ? 'primary' : 'replica', offset: info.offset };
  }

  /** Each server connects from its own address (--bind-source-addr), so an address pair names a link. */
  async links(a: string, b: string): Promise<readonly Link[]> {
    return linksBetween(this.node(a), this.node(b));
  }

  settle(primary: string, timeoutMs: number): Promise<boolean> {
    return settle(this, primary, timeoutMs);
  }

  /** Waits until each replica's link to its primary is up (its first sync done). */
  async waitForLinks(replicas: readonly RedisNode[]): Promise<void> {
    const deadline = Date.now() + this.#readyTimeoutMs;
    for (const replica of replicas) {
      while (!(await replicationInfo(replica).catch(() => undefined))?.linkUp) {
        if (Date.now() > deadline) throw new Error(`replica ${replica.id} did not sync with its primary within ${this.#readyTimeoutMs} ms`);
        await sleep(20);
      }
    }
  }

  /** Stops every server we started (SIGTERM, SIGKILL after a grace period) and removes the temp dirs. */
  async stop(): Promise<void> {
    await this.#servers.stopAll();
    rmSync(this.root, { recursive: true, force: true });
    this.#release();
  }

  async #killAll(): Promise<void> {
    await this.#servers.killAll();
    rmSync(this.root, { recursive: true, force: true });
  }

  /** For exit paths that cannot wait. */
  stopNow(): void {
    this.#servers.killAllNow();
    rmSync(this.root, { recursive: true, force: true });
  }

  async #waitUntilReady(node: RedisNode, server: ServerProcess): Promise<void> {
    const deadline = Date.now() + this.#readyTimeoutMs;
    for (;;) {
      if (!server.running)
        throw new Error(`redis-server for ${node.id} on ${node.host}:${node.port} exited at start:\n${server.describeDeath()}`);
      if ((await adminCommand(node, ['PING'], 500).catch(() => undefined)) === 'PONG') return;
      if (Date.now() > deadline)
        throw new Error(`redis-server for ${node.id} on ${node.host}:${node.port} did not answer within ${this.#readyTimeoutMs} ms`);
      await sleep(20);
    }
  }
}

function serverArgs(node: RedisNode, replicaOf: Endpoint | null, logFile: string): string[] {
  return [
    '--bind',
    node.host,
    '--bind-source-addr',
    node.host,
    '--port',
    String(node.port),
    '--protected-mode',
    'no',
    '--dir',
    node.dir,
    '--logfile',
    logFile,
    '--save',
    '',
    '--appendonly',
    'no',
    // A resync after a fault otherwise waits 5 s for more replicas to join the transfer.
    '--repl-diskless-sync',
    'yes',
    '--repl-diskless-sync-delay',
    '0',
    // On SIGTERM a primary otherwise waits up to 10 s for lagging (or cut-off) replicas to catch up.
    '--shutdown-timeout',
    '0',
    ...(replicaOf ? ['--replicaof', replicaOf.host, String(replicaOf.port)] : []),
  ];
}
