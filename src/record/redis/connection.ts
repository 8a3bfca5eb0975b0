import { createClient } from 'redis';

// One TCP connection to one Redis node, as node-redis makes it. Never reconnects on its own and never
// queues offline: a command either goes out on this socket or fails at once, so the recorder always
// knows whether it was sent.

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** The address clients connect from: node-to-node partitions must never cut the clients. */
const CLIENT_SOURCE_ADDRESS = '127.0.0.1';

export function newConnection(endpoint: Endpoint, connectTimeoutMs: number) {
  const connection = createClient({
    socket: {
      host: endpoint.host,
      port: endpoint.port,
      localAddress: CLIENT_SOURCE_ADDRESS,
      connectTimeout: connectTimeoutMs,
      reconnectStrategy: false,
    },
    disableOfflineQueue: true,
    // CLIENT SETINFO on connect would make a paused server hang the handshake with no op to blame.
    disableClientInfo: true,
  });
  // node-redis emits socket errors as events too; the rejected commands carry them to the recorder.
  connection.on('error', () => {});
  return connection;
}

export type RedisConnection = ReturnType<typeof newConnection>;

/** Drops the socket now, whatever state it is in; pending commands reject. */
export function dropConnection(connection: RedisConnection): void {
  try {
    connection.destroy();
  } catch {
    // Already closed.
  }
}
