import { ErrorReply } from 'redis';
import type { Value } from '../../../history/value.ts';
import type { ClientWorkload } from '../../../history/workloads/workload.ts';
import type { ClusterNode } from '../cluster.ts';
import type { Driver, OpSpec, Outcome, Phase, Session } from '../workload.ts';
import { dropConnection, newConnection } from './connection.ts';

// The workload's ops as Redis commands: SET/GET of unique values, or RPUSH/LRANGE. An error reply to the
// command itself means the server refused it (fail: READONLY on a replica); one to WAIT comes after the
// write applied (info), as does WAIT seeing fewer replicas than asked.

export interface RedisDriverOptions {
  readonly kind: ClientWorkload;
  /** WAIT for this many replicas after each write; the write is ok only if they acknowledge. */
  readonly wait?: number;
  readonly opTimeoutMs: number;
}

function redisKey(key: number): string {
  return `leaderlog:${key}`;
}

export function redisDriver(options: RedisDriverOptions): Driver {
  return {
    async open(node: ClusterNode, timeoutMs: number): Promise<Session> {
      const connection = newConnection(node, timeoutMs);
      try {
        await connection.connect();
      } catch (error) {
        dropConnection(connection);
        throw error;
      }
      return {
        get usable() {
          return connection.isReady;
        },
        close: () => dropConnection(connection),
        run: (op, reached) => runOp(connection, node.id, op, reached, options),
      };
    },
  };
}

async function runOp(
  connection: ReturnType<typeof newConnection>,
  nodeId: string,
  op: OpSpec,
  reached: (phase: Phase) => void,
  { kind, wait, opTimeoutMs }: RedisDriverOptions,
): Promise<Outcome> {
  reached('sent');
  let reply: unknown;
  try {
    reply = await connection.sendCommand(command(kind, op));
  } catch (error) {
    if (error instanceof ErrorReply) return { type: 'fail', error: error.message };
    throw error;
  }
  if (op.f !== 'read' && wait !== undefined) {
    reached('acknowledging');
    // WAIT's own timeout leaves room in the op's deadline for its reply.
    const acknowledged = Number(await connection.sendCommand(['WAIT', String(wait), String(Math.max(1, Math.floor(opTimeoutMs / 2)))]));
    if (acknowledged < wait)
      return { type: 'info', error: `applied on ${nodeId}, but WAIT ${wait} saw only ${acknowledged} replica(s) acknowledge` };
  }
  return { type: 'ok', value: op.f === 'read' ? parseRead(kind, reply) : op.value };
}

function command(kind: ClientWorkload, op: OpSpec): string[] {
  const key = redisKey(op.key);
  if (op.f === 'read') return kind === 'register' ? ['GET', key] : ['LRANGE', key, '0', '-1'];
  return [kind === 'register' ? 'SET' : 'RPUSH', key, String(op.value)];
}

function parseRead(kind: ClientWorkload, reply: unknown): Value {
  if (kind === 'register') return reply === null ? null : Number(reply);
  return (reply as string[]).map(Number);
}
