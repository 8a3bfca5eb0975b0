import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { sleep } from './timeouts.ts';

// One database server we started, known by its PID. It runs under `setpriv --pdeathsig KILL`, so the
// kernel kills it the moment leaderlog dies, however it dies (even SIGKILL, which no handler sees), and
// in a process group of its own, so that a pause or a kill reaches every process of the server
// (PostgreSQL's backends, not only the postmaster) and a Ctrl-C in the terminal reaches only leaderlog,
// which stops the servers itself. We only ever signal this PID and its group: never a process found by
// name. Stopping a paused server needs SIGCONT first, or it waits for ever.

export const STOP_GRACE_MS = 1000;
const STDERR_KEPT_BYTES = 16 * 1024;

export interface SpawnOptions {
  readonly logFile: string;
  /** Run as this user (PostgreSQL refuses root); by its name. */
  readonly user?: string;
  /** The signal for an orderly stop: SIGTERM for Redis; SIGINT (fast shutdown) for PostgreSQL. */
  readonly stopSignal?: NodeJS.Signals;
}

export class ServerProcess {
  readonly pid: number;
  readonly #exited: Promise<void>;
  readonly #stopSignal: NodeJS.Signals;
  #running = true;
  #paused = false;

  private constructor(
    child: ChildProcess,
    readonly logFile: string,
    readonly stderr: readonly Buffer[],
    stopSignal: NodeJS.Signals,
  ) {
    this.pid = child.pid as number;
    this.#stopSignal = stopSignal;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.#exited.then(() => (this.#running = false));
  }

  static async spawn(command: string, args: readonly string[], options: SpawnOptions): Promise<ServerProcess> {
    const child = spawn('setpriv', [...setprivArgs(options.user), '--', command, ...args], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    const stderr: Buffer[] = [];
    let kept = 0;
    // Only the end is kept, for describeDeath: a server that logs to stderr all run long must not grow us.
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      kept += chunk.length;
      while (kept > STDERR_KEPT_BYTES && stderr.length > 1) kept -= (stderr.shift() as Buffer).length;
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? new Error('setpriv is not installed (apt-get install util-linux)') : error),
      );
    });
    return new ServerProcess(child, options.logFile, stderr, options.stopSignal ?? 'SIGTERM');
  }

  get running(): boolean {
    return this.#running;
  }

  get paused(): boolean {
    return this.#running && this.#paused;
  }

  pause(): void {
    this.#signalGroup('SIGSTOP');
    this.#paused = true;
  }

  resume(): void {
    this.#signalGroup('SIGCONT');
    this.#paused = false;
  }

  async kill(): Promise<void> {
    this.#signalGroup('SIGKILL');
    await this.#exited;
  }

  /** The orderly stop signal, then SIGKILL when it has not exited within the grace period. */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (!this.#running) return;
    if (this.#paused) this.resume();
    this.#signal(this.pid, this.#stopSignal);
    const exited = await Promise.race([this.#exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!exited) await this.kill();
  }

  /** Resolves when the process has exited. */
  exited(): Promise<void> {
    return this.#exited;
  }

  /** For exit paths that cannot wait. */
  killNow(): void {
    this.#signalGroup('SIGKILL');
  }

  /** Why it died, for the error message: its stderr and the end of its log. */
  describeDeath(): string {
    const log = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
    return [Buffer.concat(this.stderr).toString('utf8').trim(), log].filter(Boolean).join('\n');
  }

  #signalGroup(signal: NodeJS.Signals): void {
    // The group is ours while its leader runs (its PID, and so the group's id, cannot be reused before).
    this.#signal(-this.pid, signal);
  }

  #signal(target: number, signal: NodeJS.Signals): void {
    if (!this.#running) return;
    try {
      process.kill(target, signal);
    } catch {
      // It exited between our check and the signal.
    }
  }
}

function setprivArgs(user: string | undefined): string[] {
  const asUser = user === undefined ? [] : ['--reuid', user, '--regid', user, '--init-groups'];
  return [...asUser, '--pdeathsig', 'KILL'];
}

/** Runs a helper program (initdb, pg_basebackup) to its end under the same rules; rejects with its output on failure. */
export async function runToEnd(command: string, args: readonly string[], options: { readonly user?: string; readonly timeoutMs: number }): Promise<void> {
  const child = spawn('setpriv', [...setprivArgs(options.user), '--', command, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, options.timeoutMs);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode));
    });
    if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${code ?? 'by a signal'}):\n${output.trim().split('\n').slice(-5).join('\n')}`);
  } finally {
    clearTimeout(timer);
  }
}
