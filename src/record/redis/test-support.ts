import { execFileSync } from 'node:child_process';

/** PIDs of redis-server processes that are children of this process: what a test must leave none of. */
export function ourRedisPids(): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), 'redis-server'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches.
  }
}
