import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { sleep } from '../timeouts.ts';

// One redis-server process we started, known by its PID. We only ever signal this PID: never a process
// found by name. Stopping a paused server needs SIGCONT first, or SIGTERM waits for ever.

export const STOP_GRACE_MS = 1000;

export class ServerProcess {
  readonly pid: number;
  readonly #exited: Promise<void>;
  #running = true;
  #paused = false;

  private constructor(
    child: ChildProcess,
    readonly logFile: string,
    readonly stderr: readonly Buffer[],
  ) {
    this.pid = child.pid as number;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.#exited.then(() => (this.#running = false));
  }

  /** Spawns redis-server; throws a clear error when it is not installed. */
  static async spawn(args: readonly string[], logFile: string): Promise<ServerProcess> {
    const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const stderr: Buffer[] = [];
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? new Error('redis-server is not installed (apt-get install redis-server)') : error),
      );
    });
    return new ServerProcess(child, logFile, stderr);
  }

  get running(): boolean {
    return this.#running;
  }

  get paused(): boolean {
    return this.#running && this.#paused;
  }

  pause(): void {
    this.#signal('SIGSTOP');
    this.#paused = true;
  }

  resume(): void {
    this.#signal('SIGCONT');
    this.#paused = false;
  }

  async kill(): Promise<void> {
    this.#signal('SIGKILL');
    await this.#exited;
  }

  /** SIGTERM, then SIGKILL when it has not exited within the grace period. */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (!this.#running) return;
    if (this.#paused) this.resume();
    this.#signal('SIGTERM');
    const exited = await Promise.race([this.#exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!exited) await this.kill();
  }

  /** For exit paths that cannot wait. */
  killNow(): void {
    this.#signal('SIGKILL');
  }

  /** Why it died, for the error message: its stderr and the end of its log. */
  describeDeath(): string {
    const log = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
    return [Buffer.concat(this.stderr).toString('utf8').trim(), log].filter(Boolean).join('\n');
  }

  #signal(signal: NodeJS.Signals): void {
    if (!this.#running) return;
    try {
      process.kill(this.pid, signal);
    } catch {
      // It exited between our check and the signal.
    }
  }
}
