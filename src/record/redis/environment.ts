import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { nftUnavailableReason } from '../network-partition.ts';

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

/** What is missing for recording with these faults (partitions need nft), as one line each. */
export async function missingForRecording(needsPartitions: boolean): Promise<string[]> {
  const reasons = [await redisUnavailableReason(), needsPartitions ? await nftUnavailableReason() : undefined];
  return reasons.filter((reason): reason is string => reason !== undefined);
}
