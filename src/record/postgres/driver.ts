import pg from 'pg';
import type { Value } from '../../../history/value.ts';
import type { ClientWorkload } from '../../../history/workloads/workload.ts';
import type { ClusterNode } from '../cluster.ts';
import type { Driver, OpSpec, Outcome, Phase, Session } from '../workload.ts';
import type { SyncMode } from './cluster.ts';
import type { PgClient } from './connection.ts';
import { connectTo, dropClient } from './connection.ts';

// The workload's ops as SQL: a register is a table of (key, value) rows upserted with unique values; a
// list is an integer array column appended to in one statement (its own transaction) and read whole.
// An ERROR reply means the statement's transaction rolled back: fail (a standby's "read-only
// transaction", a statement timeout before the commit). A FATAL one ends the connection and may come
// after the commit: info. With synchronous standbys, a commit whose wait for them is cancelled comes
// back as success with a WARNING that it "has already committed locally": it is on the primary alone,
// neither acknowledged as the user asked nor undone, so info.

export interface PostgresDriverOptions {
  readonly kind: ClientWorkload;
  readonly sync: SyncMode;
  readonly opTimeoutMs: number;
}

const STATEMENTS = {
  write: 'INSERT INTO register (k, v) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v',
  readRegister: 'SELECT v FROM register WHERE k = $1',
  append: 'INSERT INTO lists (k, v) VALUES ($1, ARRAY[$2::integer]) ON CONFLICT (k) DO UPDATE SET v = lists.v || $2::integer',
  readList: 'SELECT v FROM lists WHERE k = $1',
} as const;

const COMMITTED_LOCALLY = /already committed locally/i;

export function postgresDriver(options: PostgresDriverOptions): Driver {
  // Under synchronous replication the server cancels its own wait before our deadline, so that the
  // history says "committed locally" rather than just "no reply".
  const statementTimeoutMs = options.sync === 'off' ? undefined : Math.max(1, Math.floor(options.opTimeoutMs / 2));
  return {
    async open(node: ClusterNode, timeoutMs: number): Promise<Session> {
      const client = await connectTo(node, timeoutMs, statementTimeoutMs === undefined ? {} : { statementTimeoutMs });
      let broken = false;
      client.on('error', () => (broken = true));
      client.on('end', () => (broken = true));
      return {
        get usable() {
          return !broken;
        },
        close: () => dropClient(client),
        run: (op, reached) => runOp(client, node.id, op, reached, options.kind),
      };
    },
  };
}

async function runOp(
  client: PgClient,
  nodeId: string,
  op: OpSpec,
  reached: (phase: Phase) => void,
  kind: ClientWorkload,
): Promise<Outcome> {
  const warnings: string[] = [];
  const onNotice = (notice: { message?: string }) => warnings.push(notice.message ?? '');
  client.on('notice', onNotice);
  try {
    reached('sent');
    const result = await client.query(statement(kind, op));
    const committedLocally = warnings.find((warning) => COMMITTED_LOCALLY.test(warning));
    if (committedLocally) return { type: 'info', error: `committed on ${nodeId} only: ${committedLocally}` };
    return { type: 'ok', value: op.f === 'read' ? readValue(kind, result.rows[0]?.v) : op.value };
  } catch (error) {
    if (error instanceof pg.DatabaseError && error.severity === 'ERROR') return { type: 'fail', error: `${error.message} (${error.code})` };
    throw error;
  } finally {
    client.off('notice', onNotice);
  }
}

function statement(kind: ClientWorkload, op: OpSpec): pg.QueryConfig {
  if (op.f === 'read') {
    const name = kind === 'register' ? 'readRegister' : 'readList';
    return { name, text: STATEMENTS[name], values: [op.key] };
  }
  const name = kind === 'register' ? 'write' : 'append';
  return { name, text: STATEMENTS[name], values: [op.key, op.value] };
}

function readValue(kind: ClientWorkload, value: unknown): Value {
  if (kind === 'register') return value === undefined || value === null ? null : Number(value);
  return value === undefined || value === null ? [] : (value as number[]).map(Number);
}
