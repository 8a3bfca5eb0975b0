import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import type { MessagePort } from 'node:worker_threads';
import { workerData } from 'node:worker_threads';
import type { HostReply, HostRequest } from './host-protocol.ts';
import { isIdleLine } from './host-protocol.ts';

// The node host: a worker thread that owns the node processes and their pipes, so the world can stay
// one synchronous runner. The main thread posts a request and blocks (node-pool.ts); the host does it
// with ordinary async pipes, posts the reply and wakes the main thread through a shared flag.
//
// Each node has one live process and, started ahead while the world works, one spare waiting for its
// `init`: a run or a restart takes the spare, so the start-up of a process is mostly off the clock.

interface Proc {
  readonly child: ChildProcess;
  readonly lines: string[];
  partial: string;
  /** Stderr seen before this process became the node's live one. */
  stderr: string[];
  active: boolean;
  /** Why it is gone: `exited with code 1`, `was killed by SIGSEGV`; null while it runs. */
  ended: string | null;
  closed: boolean;
}

interface NodeSlot {
  live: Proc | null;
  spare: Proc | null;
  command: readonly string[];
  cwd: string;
  stderrFile: string;
}

interface Waiter {
  readonly node: string;
  readonly done: () => boolean;
  readonly finish: (timedOut: boolean) => void;
}

const { port, flag, deathSignal } = workerData as { port: MessagePort; flag: Int32Array; deathSignal: readonly string[] };
const slots = new Map<string, NodeSlot>();
let waiter: Waiter | null = null;

port.on('message', (request: HostRequest) => {
  void handle(request).then(
    (reply) => answer(reply),
    (error: unknown) => answer({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
  );
});

function answer(reply: HostReply): void {
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

async function handle(request: HostRequest): Promise<HostReply> {
  switch (request.op) {
    case 'start': {
      const slot = slots.get(request.node) ?? {
        live: null,
        spare: null,
        command: request.command,
        cwd: request.cwd,
        stderrFile: request.stderrFile,
      };
      slots.set(request.node, slot);
      if (slot.live) await kill(slot.live);
      if (slot.spare && (slot.command.join('\0') !== request.command.join('\0') || slot.cwd !== request.cwd)) {
        await kill(slot.spare);
        slot.spare = null;
      }
      Object.assign(slot, { command: request.command, cwd: request.cwd, stderrFile: request.stderrFile });
      if (request.fresh) writeFileSync(slot.stderrFile, '');
      else appendFileSync(slot.stderrFile, request.marker ?? '');
      const proc = slot.spare ?? startProc(slot);
      slot.spare = null;
      slot.live = proc;
      proc.active = true;
      for (const chunk of proc.stderr) appendFileSync(slot.stderrFile, chunk);
      proc.stderr = [];
      slot.spare = startProc(slot);
      if (proc.child.pid === undefined) {
        await closed(proc);
        return { id: request.id, error: proc.ended ?? 'could not be started' };
      }
      return { id: request.id, pid: proc.child.pid };
    }
    case 'exchange': {
      const proc = slots.get(request.node)?.live;
      if (!proc) return { id: request.id, error: `${request.node} has no process` };
      if (request.line !== null && !proc.closed) proc.child.stdin!.write(`${request.line}\n`);
      const done = (): boolean => {
        if (proc.closed) return true;
        if (request.until === 'idle') return proc.lines.some(isIdleLine);
        if (request.until === 'init_ok') return proc.lines.some((line) => /"init_ok"/.test(line) || !isJson(line));
        return false;
      };
      const timedOut = await wait(request.node, done, request.millis);
      // In ticks mode a step ends at its idle line; anything after it belongs to no input of ours, and
      // is left for the next exchange to find.
      const idle = request.until === 'idle' ? proc.lines.findIndex(isIdleLine) : -1;
      const lines = proc.lines.splice(0, idle >= 0 ? idle + 1 : proc.lines.length);
      return { id: request.id, lines, ended: proc.closed ? proc.ended : null, timedOut: timedOut && request.until !== 'wait' };
    }
    case 'kill': {
      const slot = slots.get(request.node);
      if (slot?.live) await kill(slot.live);
      if (slot) slot.live = null;
      return { id: request.id };
    }
    case 'signal': {
      const proc = slots.get(request.node)?.live;
      if (!proc || proc.closed || proc.child.pid === undefined)
        return { id: request.id, error: proc?.ended ?? `${request.node} has no process` };
      process.kill(proc.child.pid, request.signal);
      return { id: request.id };
    }
    case 'close': {
      const procs = [...slots.values()].flatMap((slot) => [slot.live, slot.spare].filter((p): p is Proc => p !== null));
      slots.clear();
      await Promise.all(procs.map(kill));
      return { id: request.id };
    }
  }
}

function startProc(slot: NodeSlot): Proc {
  const [program, ...args] = [...deathSignal, ...slot.command];
  const child = spawn(program!, args, { cwd: slot.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const proc: Proc = { child, lines: [], partial: '', stderr: [], active: false, ended: null, closed: false };
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const parts = (proc.partial + chunk).split('\n');
    proc.partial = parts.pop()!;
    for (const line of parts) if (line.trim() !== '') proc.lines.push(line.replace(/\r$/, ''));
    poke();
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    if (proc.active) appendFileSync(slot.stderrFile, chunk);
    else proc.stderr.push(chunk);
  });
  // A node that dies leaves its stdin closed: what we write then is lost, and the exit says why.
  child.stdin!.on('error', () => {});
  child.on('error', (error) => {
    proc.ended ??= `could not be started: ${error.message}`;
  });
  child.on('close', (code, signal) => {
    if (proc.partial.trim() !== '') proc.lines.push(proc.partial);
    proc.partial = '';
    proc.ended ??= signal ? `was killed by ${signal}` : `exited with code ${code}`;
    proc.closed = true;
    poke();
  });
  return proc;
}

function wait(node: string, done: () => boolean, millis: number): Promise<boolean> {
  if (done()) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(true), millis);
    const finish = (timedOut: boolean) => {
      clearTimeout(timer);
      waiter = null;
      resolve(timedOut);
    };
    waiter = { node, done, finish };
  });
}

function poke(): void {
  if (waiter?.done()) waiter.finish(false);
}

function kill(proc: Proc): Promise<void> {
  if (!proc.closed && proc.child.pid !== undefined) {
    proc.ended = 'was killed by leaderlog';
    try {
      process.kill(proc.child.pid, 'SIGKILL');
    } catch {
      // Already gone: its close event is on its way.
    }
  }
  return closed(proc);
}

function closed(proc: Proc): Promise<void> {
  if (proc.closed) return Promise.resolve();
  return new Promise((resolve) => proc.child.once('close', () => resolve()));
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
