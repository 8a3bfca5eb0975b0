import type { ServerProcess } from './server-process.ts';

// The servers of one cluster, by node: the one each node runs now, and every one ever started, so that
// a run reports (and its tests can look for) every PID it made, restarts included.

export class ServerSet {
  readonly #current = new Map<string, ServerProcess>();
  readonly #started: ServerProcess[] = [];

  /** `server` is now node `id`'s. */
  add(id: string, server: ServerProcess): void {
    this.#current.set(id, server);
    this.#started.push(server);
  }

  /** Node `id`'s latest server, running or not. */
  latest(id: string): ServerProcess | undefined {
    return this.#current.get(id);
  }

  /** Node `id`'s server, which must be running. */
  running(id: string): ServerProcess {
    const server = this.#current.get(id);
    if (!server?.running) throw new Error(`${id} is not running`);
    return server;
  }

  isRunning(id: string): boolean {
    return this.#current.get(id)?.running ?? false;
  }

  isPaused(id: string): boolean {
    return this.#current.get(id)?.paused ?? false;
  }

  everyPid(): number[] {
    return this.#started.flatMap((server) => server.seen());
  }

  /** Stops every node's server (its stop signal, SIGKILL after `graceMs`). */
  async stopAll(graceMs?: number): Promise<void> {
    await Promise.all([...this.#current.values()].map((server) => server.stop(graceMs)));
  }

  async killAll(): Promise<void> {
    await Promise.all([...this.#current.values()].map((server) => server.kill()));
  }

  /** For exit paths that cannot wait. */
  killAllNow(): void {
    for (const server of this.#current.values()) server.killNow();
  }
}
