import { TIMED_OUT, withTimeout } from '../timeouts.ts';
import type { Endpoint } from './connection.ts';
import { dropConnection, newConnection } from './connection.ts';

// The harness's own commands (REPLICAOF, INFO, PING), each on a fresh connection with a deadline: the
// node it talks to may be paused, dead or cut off.

export type Reply = unknown;

export async function adminCommand(endpoint: Endpoint, args: readonly string[], timeoutMs = 1000): Promise<Reply> {
  const connection = newConnection(endpoint, timeoutMs);
  try {
    const reply = await withTimeout(
      connection.connect().then(() => connection.sendCommand([...args])),
      timeoutMs,
    );
    if (reply === TIMED_OUT) throw new Error(`${args.join(' ')} on ${endpoint.host}:${endpoint.port} timed out after ${timeoutMs} ms`);
    return reply;
  } finally {
    dropConnection(connection);
  }
}

export interface ReplicationInfo {
  readonly role: 'master' | 'slave';
  /** The replication stream position this node has produced (primary) or processed (replica). */
  readonly offset: number;
  /** A replica's link to its primary. */
  readonly linkUp?: boolean;
  readonly masterHost?: string;
  readonly masterPort?: number;
}

export async function replicationInfo(endpoint: Endpoint, timeoutMs = 1000): Promise<ReplicationInfo> {
  const text = String(await adminCommand(endpoint, ['INFO', 'replication'], timeoutMs));
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  const role = fields.get('role') === 'slave' ? 'slave' : 'master';
  if (role === 'master') return { role, offset: Number(fields.get('master_repl_offset') ?? 0) };
  return {
    role,
    offset: Number(fields.get('slave_repl_offset') ?? 0),
    linkUp: fields.get('master_link_status') === 'up',
    masterHost: fields.get('master_host'),
    masterPort: Number(fields.get('master_port')),
  };
}
