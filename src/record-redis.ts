import type { RecordOptions, Recording } from './record/redis/recorder.ts';

// The library's recordRedis: the recorder, and with it the Redis client, loads on the first recording,
// so `import 'leaderlog'` to check a history never loads a database client.

/** Starts a Redis cluster on loopback addresses, drives the workload under the fault plan, and stops it. */
export async function recordRedis(options: RecordOptions): Promise<Recording> {
  const { recordRedis: record } = await import('./record/redis/recorder.ts');
  return record(options);
}
