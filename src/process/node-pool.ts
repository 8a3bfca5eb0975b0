import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MessagePort } from 'node:worker_threads';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { HostReply, HostRequest } from './host-protocol.ts';

// The synchronous face of the node host: the world calls a system's handlers synchronously, so a call
// here posts one request to the host thread and blocks on a shared flag (Atomics.wait) until the host
// has the node's answer. One pool serves one process system; close() ends every process it started.

type Request = HostRequest extends infer R ? (R extends HostRequest ? Omit<R, 'id'> : never) : never;

/** Extra time the main thread waits beyond a request's own budget before it calls the host dead. */
const HOST_MARGIN_MS = 5000;

export class NodePool {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 1;
  private closed = false;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const workerData = { port: port2, flag: this.flag, deathSignal: deathSignal() };
    this.worker = new Worker(hostEntry(), { eval: true, workerData, transferList: [port2] });
    this.worker.unref();
  }

  /** Sends `request` and waits for its answer; throws when the host is gone. */
  call(request: Request, budgetMs = 0): HostReply {
    if (this.closed) throw new Error('the node pool is closed');
    const id = this.nextId++;
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ ...request, id });
    const deadline = performance.now() + budgetMs + HOST_MARGIN_MS;
    for (;;) {
      const received = receiveMessageOnPort(this.port) as { message: HostReply } | undefined;
      if (received?.message.id === id) return received.message;
      if (received) continue;
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`the node host did not answer ${request.op} within ${Math.round(budgetMs + HOST_MARGIN_MS)} ms`);
      Atomics.wait(this.flag, 0, 0, left);
      Atomics.store(this.flag, 0, 0);
    }
  }

  /** Kills every process (by PID, waiting until each is gone) and stops the host. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    try {
      this.call({ op: 'close' }, 10_000);
    } finally {
      this.closed = true;
      this.port.close();
      void this.worker.terminate();
    }
  }
}

/**
 * The host thread's first line: it imports node-host, through tsx when leaderlog runs from its
 * TypeScript source (a worker does not inherit the main thread's loader), as plain JavaScript when built.
 */
function hostEntry(): string {
  const source = import.meta.url.endsWith('.ts');
  const host = new URL(`./node-host${source ? '.ts' : '.js'}`, import.meta.url).href;
  if (!source) return `import(${JSON.stringify(host)})`;
  const tsx = tsxApi();
  return `import(${JSON.stringify(tsx)}).then((tsx) => tsx.tsImport(${JSON.stringify(host)}, ${JSON.stringify(import.meta.url)}))`;
}

/** tsx's ESM API, where this copy of leaderlog finds it (test runners may not offer import.meta.resolve). */
function tsxApi(): string {
  if (typeof import.meta.resolve === 'function') return import.meta.resolve('tsx/esm/api');
  const root = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  return pathToFileURL(join(root, 'dist', 'esm', 'api', 'index.mjs')).href;
}

let death: readonly string[] | undefined;

/**
 * The prefix that makes a child die with leaderlog whatever kills leaderlog (SIGKILL included): Linux's
 * parent-death signal, set by util-linux's setpriv before it runs the node. Without setpriv, children
 * are still killed by PID on every exit leaderlog sees, just not when it is killed outright.
 */
function deathSignal(): readonly string[] {
  if (death) return death;
  try {
    execFileSync('setpriv', ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore' });
    death = ['setpriv', '--pdeathsig', 'KILL', '--'];
  } catch {
    death = [];
  }
  return death;
}
