import { accessSync, constants, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A run's servers live in a temp dir named for the leaderlog process that made it. A run killed with
// SIGKILL cannot remove its dir (its servers die with it: see server-process.ts), so every run first
// removes the dirs of leaderlog processes that are no longer alive. Servers that write much (PostgreSQL)
// get theirs in memory (/dev/shm) where there is one: on a busy disk initdb alone takes seconds.

const RUN_DIR = /^leaderlog-([a-z-]+)-(\d+)-[A-Za-z0-9]{6}$/;
const MEMORY_DIR = '/dev/shm';

/** A fresh dir for this run's `database` servers, after sweeping away those of dead runs. */
export function makeRunDir(database: string, where: 'disk' | 'memory' = 'disk'): string {
  for (const parent of parents()) sweepStaleRunDirs(parent);
  const parent = where === 'memory' && isWritable(MEMORY_DIR) ? MEMORY_DIR : tmpdir();
  return mkdtempSync(join(parent, `leaderlog-${database}-${process.pid}-`));
}

/** Removes run dirs under `parent` whose leaderlog process is gone; returns their names. */
function sweepStaleRunDirs(parent = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return removed;
  }
  for (const name of names) {
    const match = RUN_DIR.exec(name);
    if (!match || isAlive(Number(match[2]))) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parents(): string[] {
  return isWritable(MEMORY_DIR) ? [tmpdir(), MEMORY_DIR] : [tmpdir()];
}

function isWritable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
