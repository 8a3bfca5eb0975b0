import { execFileSync } from 'node:child_process';

/** PIDs of redis-server processes that are children of this process: what a test must leave none of. */
export function ourRedisPids(): number[] {
  return pgrep(['-P', String(process.pid), 'redis-server']);
}

/** Processes still alive in the given process groups (a server and everything it forked). */
export function livingInGroups(groups: readonly number[]): number[] {
  return groups.length === 0 ? [] : pgrep(['-g', groups.join(',')]);
}

function pgrep(args: readonly string[]): number[] {
  try {
    return execFileSync('pgrep', args, { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches.
  }
}
