import pg from 'pg';
import type { ClusterNode } from '../cluster.ts';
import { TIMED_OUT, withTimeout } from '../timeouts.ts';

// One connection to one PostgreSQL node, as node-postgres makes it, always as the postgres superuser
// over TCP (trust authentication on loopback: the cluster is ours and lives minutes).

export type PgClient = pg.Client;

export interface ConnectOptions {
  /** The server cancels a statement that runs longer (a wait for synchronous standbys included). */
  readonly statementTimeoutMs?: number;
}

/** Connects within `timeoutMs`; rejects (and drops the socket) when it cannot. */
export async function connectTo(node: ClusterNode, timeoutMs: number, options: ConnectOptions = {}): Promise<PgClient> {
  const client = new pg.Client({
    host: node.host,
    port: node.port,
    user: 'postgres',
    database: 'postgres',
    connectionTimeoutMillis: timeoutMs,
    application_name: 'leaderlog',
    ...(options.statementTimeoutMs !== undefined && { statement_timeout: options.statementTimeoutMs }),
  });
  // Socket errors also arrive as events; the rejected queries carry them to the recorder.
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch (error) {
    dropClient(client);
    throw error;
  }
}

/** Drops the socket now, whatever state it is in (end() would wait for a paused server's goodbye). */
export function dropClient(client: PgClient): void {
  (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
}

/** The harness's own statements, each on a fresh connection with a deadline: the node may be paused, dead or cut off. */
export async function adminQuery<Row = Record<string, unknown>>(
  node: ClusterNode & { readonly id: string },
  sql: string,
  timeoutMs = 1000,
): Promise<Row[]> {
  let client: PgClient | undefined;
  const attempt = (async () => {
    client = await connectTo(node, timeoutMs);
    return (await client.query(sql)).rows as Row[];
  })();
  try {
    const rows = await withTimeout(attempt, timeoutMs);
    if (rows === TIMED_OUT) throw new Error(`${sql} on ${node.id} (${node.host}:${node.port}) timed out after ${timeoutMs} ms`);
    return rows;
  } finally {
    attempt.catch(() => {});
    // A client connected after the deadline is dropped when its connection resolves.
    if (client) dropClient(client);
    else
      attempt.then(
        () => client && dropClient(client),
        () => {},
      );
  }
}

/** A WAL position such as 0/3000148 as a number of bytes (exact: 2^53 bytes of WAL is far off). */
export function lsnToNumber(lsn: string | null | undefined): number | undefined {
  if (!lsn) return undefined;
  const [high, low] = lsn.split('/');
  return Number.parseInt(high, 16) * 2 ** 32 + Number.parseInt(low, 16);
}
