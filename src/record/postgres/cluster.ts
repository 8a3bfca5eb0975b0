import { spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster, ClusterNode, NodePosition } from '../cluster.ts';
import { holdUntilExit } from '../emergency-cleanup.ts';
import { findFreePort } from '../free-port.ts';
import type { Link } from '../network-partition.ts';
import { makeRunDir } from '../run-dir.ts';
import { runToEnd, ServerProcess } from '../server-process.ts';
import { ServerSet } from '../server-set.ts';
import { sleep } from '../timeouts.ts';
import { adminQuery, lsnToNumber } from './connection.ts';
import type { PostgresTools } from './environment.ts';

// A PostgreSQL primary and streaming standbys of real postgres processes, each on its own loopback
// address (127.0.0.2, 127.0.0.3, ...), port and fresh data dir under this run's temp dir, run as the
// postgres user when we are root (the server refuses root). n1 is made by initdb and is the primary;
// each standby starts as a copy of it. A standby that must follow a primary it may have
// diverged from (an old primary, a node restarted after a failover) is made again from a fresh base
// backup rather than rewound: a second or so, and never a standby that silently cannot follow.

export type SyncMode = 'off' | 'on' | 'remote_apply';

export interface PostgresNode extends ClusterNode {
  readonly dir: string;
  readonly data: string;
}

export interface PostgresClusterOptions {
  readonly nodes: number;
  /** off: asynchronous standbys; on / remote_apply: a commit waits for one standby to flush / apply it. */
  readonly sync: SyncMode;
  readonly tools: PostgresTools;
  readonly firstAddress?: number;
  readonly readyTimeoutMs?: number;
}

const DEFAULT_FIRST_ADDRESS = 2;
const DEFAULT_READY_TIMEOUT_MS = 20_000;
const HELPER_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 3000;
/** How long a repointed standby may take to stream from its new primary before it is made again. */
const FOLLOW_TIMEOUT_MS = 3000;

const SCHEMA = [
  'CREATE TABLE register (k integer PRIMARY KEY, v integer NOT NULL)',
  'CREATE TABLE lists (k integer PRIMARY KEY, v integer[] NOT NULL)',
];

export class PostgresCluster implements Cluster {
  readonly #servers = new ServerSet();
  readonly #release: () => void;

  private constructor(
    readonly nodes: readonly PostgresNode[],
    readonly root: string,
    private readonly options: PostgresClusterOptions,
  ) {
    this.#release = holdUntilExit({ now: () => this.stopNow(), soon: () => this.#killAll() });
  }

  /** Makes and starts the primary and its standbys, and waits until every standby streams. */
  static async start(options: PostgresClusterOptions): Promise<PostgresCluster> {
    const first = options.firstAddress ?? DEFAULT_FIRST_ADDRESS;
    if (options.nodes < 1 || first + options.nodes - 1 > 254) throw new Error(`cannot place ${options.nodes} nodes from 127.0.0.${first}`);
    const root = makeRunDir('postgres', 'memory');
    const nodes: PostgresNode[] = [];
    for (let i = 0; i < options.nodes; i++) {
      const host = `127.0.0.${first + i}`;
      const dir = join(root, `n${i + 1}`);
      nodes.push({ id: `n${i + 1}`, host, port: await findFreePort(host), dir, data: join(dir, 'data') });
    }
    const cluster = new PostgresCluster(nodes, root, options);
    try {
      cluster.#own(root);
      for (const node of nodes) cluster.#own(node.dir);
      const [primary, ...standbys] = nodes;
      await runToEnd('cp', ['-a', await initdbTemplate(options.tools), primary.data], cluster.#helperOptions());
      // A copy of a cluster that was never started is as good a base as a base backup, and far quicker.
      for (const standby of standbys) {
        await runToEnd('cp', ['-a', primary.data, standby.data], cluster.#helperOptions());
        cluster.#becomeStandbyOf(standby, primary);
      }
      await Promise.all(nodes.map((node) => cluster.#startServer(node)));
      for (const statement of SCHEMA) await adminQuery(primary, statement, 5000);
      await cluster.#waitForStreaming(primary, standbys);
      // Only now: a commit made while no standby streams would wait for ever. Every node gets it, so
      // that a promoted standby waits for its own standbys as the first primary did.
      if (options.sync !== 'off') {
        for (const node of nodes) {
          await adminQuery(node, "ALTER SYSTEM SET synchronous_standby_names = 'ANY 1 (*)'");
          await adminQuery(node, 'SELECT pg_reload_conf()');
        }
      }
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  node(id: string): PostgresNode {
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

  pause(id: string): void {
    this.#servers.running(id).pause();
  }

  resume(id: string): void {
    this.#servers.running(id).resume();
  }

  async kill(id: string): Promise<void> {
    await this.#servers.running(id).kill();
  }

  /** A primary comes back on its own data (crash recovery); a standby is made again from the primary. */
  async restart(id: string, primary: string | null): Promise<{ readonly empty: false; readonly rebuiltFrom?: string }> {
    if (this.isRunning(id)) throw new Error(`${id} is already running`);
    if (primary === null) {
      await this.#startServer(this.node(id));
      return { empty: false };
    }
    await this.#makeStandby(this.node(id), this.node(primary));
    return { empty: false, rebuiltFrom: primary };
  }

  async promote(id: string): Promise<void> {
    const [row] = await adminQuery<{ promoted: boolean }>(this.node(id), 'SELECT pg_promote(true, 10) AS promoted', 12_000);
    if (!row?.promoted) throw new Error(`${id} did not finish promotion within 10 s`);
  }

  /**
   * A standby is repointed (primary_conninfo and a reload) and must be streaming from its new primary
   * soon after; one that cannot (its log went past the point where the new primary's timeline forked,
   * as when it took in an old primary's writes) and a primary are stopped and made a standby again.
   */
  async follow(id: string, primary: string): Promise<void> {
    const node = this.node(id);
    const upstream = this.node(primary);
    if ((await this.position(id, 1000))?.role === 'replica') {
      await adminQuery(node, `ALTER SYSTEM SET primary_conninfo = '${conninfo(upstream, id)}'`);
      await adminQuery(node, 'SELECT pg_reload_conf()');
      if (await this.#followsTimeline(node, upstream, FOLLOW_TIMEOUT_MS)) return;
    }
    await this.#servers.latest(id)?.stop(STOP_GRACE_MS);
    await this.#makeStandby(node, upstream);
  }

  async position(id: string, timeoutMs: number): Promise<NodePosition | undefined> {
    const rows = await adminQuery<{ replica: boolean; lsn: string | null }>(
      this.node(id),
      'SELECT pg_is_in_recovery() AS replica, (CASE WHEN pg_is_in_recovery() THEN COALESCE(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) ELSE pg_current_wal_lsn() END)::text AS lsn',
      timeoutMs,
    ).catch(() => undefined);
    const row = rows?.[0];
    return row && { role: row.replica ? 'replica' : 'primary', offset: lsnToNumber(row.lsn) ?? 0 };
  }

  /**
   * A standby connects from 127.0.0.1 whatever its own address (libpq cannot choose a source address),
   * so its replication connection is named by the port it connects from, as the upstream reports it.
   * A connection made after the cut (a standby restarted meanwhile) is not cut.
   */
  async links(a: string, b: string): Promise<readonly Link[]> {
    const streams = async (upstream: string, standby: string): Promise<Link[]> => {
      const rows = await adminQuery<{ addr: string; port: number }>(
        this.node(upstream),
        `SELECT host(client_addr) AS addr, client_port AS port FROM pg_stat_replication WHERE application_name = '${standby}'`,
        1000,
      ).catch(() => []);
      return rows.map((row) => ({ from: { host: row.addr, port: row.port }, to: this.node(upstream) }));
    };
    return [...(await streams(a, b)), ...(await streams(b, a))];
  }

  async settle(primary: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const standbys = this.nodes.filter((node) => node.id !== primary && this.isRunning(node.id));
    for (;;) {
      const target = lsnToNumber(
        (await adminQuery<{ lsn: string }>(this.node(primary), 'SELECT pg_current_wal_lsn()::text AS lsn').catch(() => []))[0]?.lsn,
      );
      const replayed = await Promise.all(
        standbys.map(async (node) =>
          lsnToNumber((await adminQuery<{ lsn: string }>(node, 'SELECT pg_last_wal_replay_lsn()::text AS lsn').catch(() => []))[0]?.lsn),
        ),
      );
      if (target !== undefined && replayed.every((lsn) => lsn !== undefined && lsn >= target)) return true;
      if (Date.now() > deadline) return false;
      await sleep(50);
    }
  }

  async pauseReplay(id: string): Promise<void> {
    await adminQuery(this.node(id), 'SELECT pg_wal_replay_pause()');
  }

  async resumeReplay(id: string): Promise<void> {
    await adminQuery(this.node(id), 'SELECT pg_wal_replay_resume()');
  }

  /** Stops every server we started (fast shutdown, SIGKILL after a grace period) and removes the temp dirs. */
  async stop(): Promise<void> {
    await this.#servers.stopAll(STOP_GRACE_MS);
    this.#removeDirs();
    this.#release();
  }

  /** For exit paths that cannot wait. */
  stopNow(): void {
    this.#servers.killAllNow();
    this.#removeDirs();
  }

  async #killAll(): Promise<void> {
    await this.#servers.killAll();
    this.#removeDirs();
  }

  #removeDirs(): void {
    for (const node of this.nodes) releaseSharedMemory(node.data);
    rmSync(this.root, { recursive: true, force: true });
  }

  /** A fresh data dir from a base backup of `primary`, started as its standby. */
  async #makeStandby(node: PostgresNode, primary: PostgresNode): Promise<void> {
    releaseSharedMemory(node.data);
    rmSync(node.data, { recursive: true, force: true });
    await this.#run('pg_basebackup', [
      '-h',
      primary.host,
      '-p',
      String(primary.port),
      '-U',
      'postgres',
      '-D',
      node.data,
      '-X',
      'stream',
      '--no-sync',
      '-c',
      'fast',
    ]);
    this.#becomeStandbyOf(node, primary);
    await this.#startServer(node);
  }

  /** standby.signal, and a primary_conninfo in which the standby names itself, so that the primary's views tell standbys apart. */
  #becomeStandbyOf(node: PostgresNode, primary: PostgresNode): void {
    const signal = join(node.data, 'standby.signal');
    const autoConf = join(node.data, 'postgresql.auto.conf');
    writeFileSync(signal, '');
    appendFileSync(autoConf, `primary_conninfo = '${conninfo(primary, node.id)}'\n`);
    const { uid, gid } = this.options.tools;
    if (uid !== undefined && gid !== undefined) for (const file of [signal, autoConf]) chownSync(file, uid, gid);
  }

  async #startServer(node: PostgresNode): Promise<void> {
    const server = await ServerProcess.spawn(this.#tool('postgres'), serverArgs(node, this.options), {
      logFile: join(node.dir, 'postgres.log'),
      ...(this.options.tools.user !== undefined && { user: this.options.tools.user }),
      stopSignal: 'SIGINT',
    });
    this.#servers.add(node.id, server);
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
    for (;;) {
      if (!server.running)
        throw new Error(`postgres for ${node.id} on ${node.host}:${node.port} exited at start:\n${server.describeDeath()}`);
      if (
        await adminQuery(node, 'SELECT 1', 500).then(
          () => true,
          () => false,
        )
      )
        return;
      if (Date.now() > deadline)
        throw new Error(
          `postgres for ${node.id} on ${node.host}:${node.port} did not accept connections in time:\n${server.describeDeath()}`,
        );
      await sleep(20);
    }
  }

  async #waitForStreaming(primary: PostgresNode, standbys: readonly PostgresNode[]): Promise<void> {
    if (!(await this.#streams(primary, standbys, this.options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS))) {
      throw new Error(`the standbys did not start streaming from ${primary.id} in time`);
    }
  }

  /**
   * Whether `standby` streams `primary`'s own timeline within `timeoutMs`. Streaming alone is not enough:
   * a standby that went past the fork still streams the parent timeline's WAL for a while, and never
   * switches to the new one.
   */
  async #followsTimeline(standby: PostgresNode, primary: PostgresNode, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const [current] = await adminQuery<{ file: string }>(primary, 'SELECT pg_walfile_name(pg_current_wal_lsn()) AS file').catch(() => []);
    if (!current) return false;
    const timeline = Number.parseInt(current.file.slice(0, 8), 16);
    for (;;) {
      const [receiver] = await adminQuery<{ status: string; timeline: number; port: number }>(
        standby,
        'SELECT status, received_tli AS timeline, sender_port AS port FROM pg_stat_wal_receiver',
      ).catch(() => []);
      if (receiver?.status === 'streaming' && receiver.timeline === timeline && receiver.port === primary.port) return true;
      if (Date.now() > deadline) return false;
      await sleep(50);
    }
  }

  /** Whether every one of `standbys` is streaming from `primary` within `timeoutMs`. */
  async #streams(primary: PostgresNode, standbys: readonly PostgresNode[], timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await adminQuery<{ name: string }>(
        primary,
        "SELECT application_name AS name FROM pg_stat_replication WHERE state = 'streaming'",
      ).catch(() => []);
      if (standbys.every((standby) => rows.some((row) => row.name === standby.id))) return true;
      if (Date.now() > deadline) return false;
      await sleep(20);
    }
  }

  #run(tool: string, args: readonly string[]): Promise<void> {
    return runToEnd(this.#tool(tool), args, this.#helperOptions());
  }

  #helperOptions() {
    return { timeoutMs: HELPER_TIMEOUT_MS, ...(this.options.tools.user !== undefined && { user: this.options.tools.user }) };
  }

  #tool(name: string): string {
    return join(this.options.tools.binDir, name);
  }

  /** Dirs the server's user must own (we may be root, it may not). */
  #own(dir: string): void {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { uid, gid } = this.options.tools;
    if (uid !== undefined && gid !== undefined) chownSync(dir, uid, gid);
  }
}

/**
 * A killed postmaster leaves its small System V segment behind (the next postmaster on the same data dir
 * would reuse it; no other will). Its id is on line 7 of the dead server's postmaster.pid: only
 * that segment, and only once nothing is attached, is removed.
 */
function releaseSharedMemory(data: string): void {
  let lines: string[];
  try {
    lines = readFileSync(join(data, 'postmaster.pid'), 'utf8').trim().split('\n');
  } catch {
    return; // Stopped cleanly (the file goes with the server), or never started.
  }
  const id = lines[6]?.trim().split(/\s+/)[1];
  if (id && /^\d+$/.test(id)) spawnSync('ipcrm', ['-m', id], { stdio: 'ignore' });
}

let template: Promise<string> | undefined;

/**
 * One initdb per leaderlog process (seconds on a busy machine), copied for every node of every
 * cluster. Its dir goes when the process exits, or with the next run's sweep if it was killed.
 */
let templateRoot: string | undefined;

/** Removes this process's initdb template now (a test runner's workers may never see 'exit'). */
export function removeInitdbTemplate(): void {
  if (templateRoot) rmSync(templateRoot, { recursive: true, force: true });
  templateRoot = undefined;
  template = undefined;
}

function initdbTemplate(tools: PostgresTools): Promise<string> {
  template ??= (async () => {
    const root = makeRunDir('postgres-template', 'memory');
    templateRoot = root;
    process.once('exit', () => rmSync(root, { recursive: true, force: true }));
    if (tools.uid !== undefined && tools.gid !== undefined) chownSync(root, tools.uid, tools.gid);
    const data = join(root, 'data');
    const user = tools.user !== undefined ? { user: tools.user } : {};
    await runToEnd(
      join(tools.binDir, 'initdb'),
      ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '--no-instructions', '-E', 'UTF8', '--locale=C'],
      { timeoutMs: HELPER_TIMEOUT_MS, ...user },
    );
    return data;
  })();
  // A failed initdb is reported once and tried again by the next cluster.
  template.catch(() => (template = undefined));
  return template;
}

function conninfo(primary: ClusterNode, applicationName: string): string {
  return `host=${primary.host} port=${primary.port} user=postgres application_name=${applicationName}`;
}

function serverArgs(node: PostgresNode, { nodes, sync }: PostgresClusterOptions): string[] {
  const settings: Record<string, string> = {
    listen_addresses: node.host,
    port: String(node.port),
    unix_socket_directories: node.dir,
    // Durability against a machine crash is not under test (a killed server's writes are in the page cache).
    fsync: 'off',
    wal_level: 'replica',
    max_wal_senders: String(2 * nodes + 4),
    hot_standby: 'on',
    synchronous_commit: sync === 'off' ? 'on' : sync,
    // Standbys may fall far behind (a partition, paused replay) and still catch up without a new base backup.
    wal_keep_size: '256MB',
    // A partition is silent: neither end gives up on a replication connection that stops moving.
    wal_sender_timeout: '0',
    wal_receiver_timeout: '0',
    wal_retrieve_retry_interval: '100ms',
    shared_buffers: '32MB',
    // In the data dir, so that a killed server's segments go with the run's temp dir (posix ones would stay in /dev/shm).
    dynamic_shared_memory_type: 'mmap',
    max_connections: '200',
    logging_collector: 'off',
    log_min_messages: 'warning',
  };
  return ['-D', node.data, ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
}
