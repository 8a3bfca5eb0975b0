import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { sleep } from './timeouts.ts';

// One database server we started, known by its PID. It runs under `setpriv --pdeathsig KILL`, so the
// kernel kills it the moment leaderlog dies, however it dies (even SIGKILL, which no handler sees). A
// pause or a kill reaches every process of the server: the PID and the processes it forked (PostgreSQL's
// backends), found as its children at that moment. (Not a process group of its own: that takes a session
// of its own, and the scheduler then serves each server as a separate group, which cut Redis's
// throughput five-fold on a busy machine.) We only ever signal this PID and its children: never a process
// found by name. Stopping a paused server needs SIGCONT first, or it waits for ever.

const STOP_GRACE_MS = 1000;
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
  /** Every process of the server ever seen: its PID and the children found when we signalled them. */
  readonly #seen = new Set<number>();

  private constructor(
    child: ChildProcess,
    readonly logFile: string,
    readonly stderr: readonly Buffer[],
    stopSignal: NodeJS.Signals,
  ) {
    this.pid = child.pid as number;
    this.#seen.add(this.pid);
    this.#stopSignal = stopSignal;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.#exited.then(() => (this.#running = false));
  }

  static async spawn(command: string, args: readonly string[], options: SpawnOptions): Promise<ServerProcess> {
    const child = spawn('setpriv', [...setprivArgs(options.user), '--', command, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
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

  /** The server first, so that it forks no new process while its children are stopped. */
  pause(): void {
    this.#signal(this.pid, 'SIGSTOP');
    for (const child of this.children()) this.#signal(child, 'SIGSTOP');
    this.#paused = true;
  }

  resume(): void {
    for (const child of this.children()) this.#signal(child, 'SIGCONT');
    this.#signal(this.pid, 'SIGCONT');
    this.#paused = false;
  }

  async kill(): Promise<void> {
    this.killNow();
    await this.#exited;
  }

  /** The orderly stop signal, then SIGKILL when it has not exited within the grace period. */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (!this.#running) return;
    if (this.#paused) this.resume();
    this.children();
    this.#signal(this.pid, this.#stopSignal);
    const exited = await Promise.race([this.#exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!exited) await this.kill();
  }

  /** Resolves when the process has exited. */
  exited(): Promise<void> {
    return this.#exited;
  }

  /** For exit paths that cannot wait. Children first: once the server is gone they are no longer its. */
  killNow(): void {
    for (const child of this.children()) this.#signal(child, 'SIGKILL');
    this.#signal(this.pid, 'SIGKILL');
  }

  /** The processes the server has forked and that still run. */
  children(): number[] {
    const children = this.#running ? childrenOf(this.pid) : [];
    for (const child of children) this.#seen.add(child);
    return children;
  }

  /** The server's PID and every child of it seen so far: what must all be gone once it is stopped. */
  seen(): number[] {
    return [...this.#seen];
  }

  /** Why it died, for the error message: its stderr and the end of its log. */
  describeDeath(): string {
    const log = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
    return [Buffer.concat(this.stderr).toString('utf8').trim(), log].filter(Boolean).join('\n');
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

/** Children of `pid`, from /proc (their parent field), without running a program. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return children;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // It exited while we looked.
    }
  }
  return children;
}

function setprivArgs(user: string | undefined): string[] {
  const asUser = user === undefined ? [] : ['--reuid', user, '--regid', user, '--init-groups'];
  return [...asUser, '--pdeathsig', 'KILL'];
}

/** Runs a helper program (initdb, pg_basebackup) to its end under the same rules; rejects with its output on failure. */
export async function runToEnd(
  command: string,
  args: readonly string[],
  options: { readonly user?: string; readonly timeoutMs: number },
): Promise<void> {
  const child = spawn('setpriv', [...setprivArgs(options.user), '--', command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => {
    for (const pid of [...childrenOf(child.pid as number), child.pid as number]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }, options.timeoutMs);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode));
    });
    if (code !== 0)
      throw new Error(
        `${command} ${args.join(' ')} failed (exit ${code ?? 'by a signal'}):\n${output.trim().split('\n').slice(-5).join('\n')}`,
      );
  } finally {
    clearTimeout(timer);
  }
}
