import type { PostgresRecordOptions } from './record/postgres/record-postgres.ts';
import type { Recording } from './record/recorder.ts';
import type { RedisRecordOptions } from './record/redis/record-redis.ts';

// The library's recorders: each loads with its database client on the first recording, so
// `import 'leaderlog'` to check a history never loads a database client.

/** Starts a Redis cluster on loopback addresses, drives the workload under the fault plan, and stops it. */
export async function recordRedis(options: RedisRecordOptions): Promise<Recording> {
  const { recordRedis: record } = await import('./record/redis/record-redis.ts');
  return record(options);
}

/** Starts a PostgreSQL primary with streaming standbys on loopback addresses, records, and stops it. */
export async function recordPostgres(options: PostgresRecordOptions): Promise<Recording> {
  const { recordPostgres: record } = await import('./record/postgres/record-postgres.ts');
  return record(options);
}
