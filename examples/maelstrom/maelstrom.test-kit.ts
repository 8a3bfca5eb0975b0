import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// What the node-binary tests share: the example programs, a marker argument that makes every process
// a test starts findable with pgrep (and nobody else's), and fresh folders.

export const here = fileURLToPath(new URL('.', import.meta.url));
export const jsNode = join(here, 'async-leader.mjs');
export const pythonNode = join(here, 'async_leader.py');
/** Debian's python3 when there is one: a version manager's shim costs a shell per process started. */
export const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
export const marker = `leaderlog-test-${process.pid}-${Date.now()}`;

export function freshDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `leaderlog-${name}-`));
}

/** PIDs and command lines of every process still running with this file's marker (leaderlog's own included). */
export function ours(): string[] {
  const found = spawnSync('pgrep', ['-af', '--', marker], { encoding: 'utf8' });
  if (found.status !== 0 && found.status !== 1) throw new Error(`pgrep failed: ${found.stderr}`);
  return found.stdout.split('\n').filter((line) => line !== '' && !line.includes('pgrep'));
}

/** The node processes among them. */
export function ourNodes(): string[] {
  return ours().filter((line) => !line.includes('leaderlog.js'));
}

/** Waits (up to `millis`) until `done` holds; returns whether it did. */
export function waitFor(done: () => boolean, millis: number): boolean {
  const deadline = Date.now() + millis;
  while (Date.now() < deadline) {
    if (done()) return true;
    execFileSync('sleep', ['0.05']);
  }
  return done();
}
