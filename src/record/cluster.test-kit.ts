import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** PIDs of redis-server processes that are children of this process: what a test must leave none of. */
export function ourRedisPids(): number[] {
  return pgrep(['-P', String(process.pid), 'redis-server']);
}

/** Those of `pids` still running (a zombie, dead but not yet reaped, does not count). */
export function stillRunning(pids: readonly number[]): number[] {
  return pids.filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
    } catch {
      return false;
    }
  });
}

function pgrep(args: readonly string[]): number[] {
  try {
    return execFileSync('pgrep', args, { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches.
  }
}
