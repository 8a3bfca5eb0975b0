import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FailoverAuthority } from '../cluster.ts';
import { holdUntilExit } from '../emergency-cleanup.ts';
import { findFreePort } from '../free-port.ts';
import { makeRunDir } from '../run-dir.ts';
import { ServerProcess } from '../server-process.ts';
import { sleep } from '../timeouts.ts';
import { adminCommand } from './admin.ts';
import type { RedisCluster } from './cluster.ts';
import type { Endpoint } from './connection.ts';

// Automatic failover by Redis Sentinel, beside the harness's own promotion: one sentinel (quorum 1) on
// the next loopback address after the data nodes, with a fresh config file each run (sentinel rewrites
// it as it learns). The harness only asks it what it decided.

const SENTINEL_MASTER_NAME = 'leaderlog';
const DOWN_AFTER_MS = 1000;
const FAILOVER_TIMEOUT_MS = 3000;

export interface SentinelView {
  /** The data node the sentinel names as primary. */
  readonly primary: string;
  /** Sentinel's configuration epoch: it grows with each failover it performs. */
  readonly epoch: number;
}

export class Sentinel implements FailoverAuthority {
  readonly #release: () => void;

  private constructor(
    readonly endpoint: Endpoint,
    readonly dir: string,
    private readonly server: ServerProcess,
    private readonly cluster: RedisCluster,
  ) {
    this.#release = holdUntilExit({ now: () => this.stopNow(), soon: () => this.server.kill() });
  }

  /** Starts a sentinel watching `primaryId` and waits until it knows the replicas. */
  static async start(cluster: RedisCluster, primaryId: string, readyTimeoutMs = 10_000): Promise<Sentinel> {
    const last = cluster.nodes[cluster.nodes.length - 1];
    const host = `127.0.0.${Number(last.host.split('.')[3]) + 1}`;
    const port = await findFreePort(host);
    const dir = makeRunDir('sentinel');
    const primary = cluster.node(primaryId);
    const config = join(dir, 'sentinel.conf');
    writeFileSync(
      config,
      [
        `port ${port}`,
        `bind ${host}`,
        'protected-mode no',
        `dir ${dir}`,
        `logfile ${join(dir, 'sentinel.log')}`,
        `sentinel monitor ${SENTINEL_MASTER_NAME} ${primary.host} ${primary.port} 1`,
        `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} ${DOWN_AFTER_MS}`,
        `sentinel failover-timeout ${SENTINEL_MASTER_NAME} ${FAILOVER_TIMEOUT_MS}`,
        '',
      ].join('\n'),
    );
    let server: ServerProcess;
    try {
      server = await ServerProcess.spawn('redis-server', [config, '--sentinel'], { logFile: join(dir, 'sentinel.log') });
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    const sentinel = new Sentinel({ host, port }, dir, server, cluster);
    try {
      await sentinel.#waitUntilWatching(cluster.nodes.length - 1, readyTimeoutMs);
      return sentinel;
    } catch (error) {
      await sentinel.stop();
      throw error;
    }
  }

  /** What the sentinel believes now, or undefined when it cannot say (or names a node we do not know). */
  async view(): Promise<SentinelView | undefined> {
    const fields = await this.#masterFields();
    const node = this.cluster.nodes.find(
      (candidate) => candidate.host === fields?.get('ip') && String(candidate.port) === fields?.get('port'),
    );
    return node ? { primary: node.id, epoch: Number(fields?.get('config-epoch')) + 1 } : undefined;
  }

  /** Asks the sentinel to fail over now, as if the primary were down. */
  async failover(): Promise<void> {
    await adminCommand(this.endpoint, ['SENTINEL', 'FAILOVER', SENTINEL_MASTER_NAME]);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    rmSync(this.dir, { recursive: true, force: true });
    this.#release();
  }

  stopNow(): void {
    this.server.killNow();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** SENTINEL MASTER's fields, a flat list in RESP2 and a map in RESP3; undefined when it does not answer. */
  async #masterFields(): Promise<Map<string, string> | undefined> {
    const reply = await adminCommand(this.endpoint, ['SENTINEL', 'MASTER', SENTINEL_MASTER_NAME], 500).catch(() => undefined);
    if (Array.isArray(reply))
      return new Map(reply.flatMap((_, i) => (i % 2 === 0 ? [[String(reply[i]), String(reply[i + 1])] as const] : [])));
    if (reply && typeof reply === 'object') return new Map(Object.entries(reply).map(([name, value]) => [name, String(value)] as const));
    return undefined;
  }

  async #waitUntilWatching(replicas: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.server.running) throw new Error(`redis-server --sentinel exited at start:\n${this.server.describeDeath()}`);
      const fields = await this.#masterFields();
      if (Number(fields?.get('num-slaves')) >= replicas) return;
      if (Date.now() > deadline) throw new Error(`the sentinel did not find the ${replicas} replica(s) within ${timeoutMs} ms`);
      await sleep(50);
    }
  }
}
