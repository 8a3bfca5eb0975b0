import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { missingForRecording } from '../environment.ts';

const run = promisify(execFile);

/** Why a Redis cluster cannot be started here, or undefined when redis-server runs. */
export async function redisUnavailableReason(): Promise<string | undefined> {
  try {
    await run('redis-server', ['--version']);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT'
      ? 'redis-server is not installed (apt-get install redis-server)'
      : `redis-server does not run: ${(error as Error).message}`;
  }
}

/** What is missing for recording on Redis with or without partitions, as one line each. */
export async function missingForRedis(needsPartitions: boolean): Promise<string[]> {
  return missingForRecording(needsPartitions ? ['partition'] : [], [await redisUnavailableReason()]);
}
