import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Body, ExpectedAnomaly, NodeContext, RoleClaim, System } from '../../models/index.ts';
import { clientId, nodeIds, SystemError } from '../../models/index.ts';
import type { HostReply } from './host-protocol.ts';
import { isIdleLine } from './host-protocol.ts';
import { NodePool } from './node-pool.ts';

// A Maelstrom-protocol node binary as a System: one process per node, JSON lines on stdin and stdout.
// leaderlog is the network: what a node prints goes into the world's in-flight list (or to a client)
// as sent by the node whose pipe it came from, whatever `src` it claims. A node's state here is a
// handle; its durable part is its working folder, which survives its crashes (SIGKILL) and restarts (a
// fresh process, a new `init`) and is emptied when a run starts.
//
// Two clocks. `ticks`: the node opts in (init_ok carries "ticks": true), never reads a clock, takes
// {"type":"tick"} messages from the schedule and prints {"type":"idle"} when it has sent all it will
// for an input: every step is exact and the same schedule gives the same history. `wall`: the node
// keeps its own time; a tick is real waiting, and what a node prints is taken at its next step.

export type NodeClock = 'ticks' | 'wall';

export interface NodeCommandOptions {
  /** The program and its arguments, run once per node. */
  readonly command: readonly string[];
  readonly nodes: number;
  readonly clients?: number;
  readonly keys?: number;
  /** Default ticks. */
  readonly clock?: NodeClock;
  /** Each node's working folder (`n1/`, ...) and stderr (`n1.stderr`) go here. */
  readonly workDir: string;
  /** Default: the name of the script it runs (or of the program). */
  readonly name?: string;
  readonly story?: string;
  readonly knownFor?: readonly ExpectedAnomaly[];
  readonly workloads?: System['workloads'];
  readonly patience?: number;
  /** Wall clock: how long one tick waits, in milliseconds (default 20). */
  readonly tickMillis?: number;
  /** Ticks: how long a node may take to finish one input before it is reported as not answering (default 5000 ms). */
  readonly answerMillis?: number;
  /** How long a node may take to answer `init` (default 10000 ms). */
  readonly initMillis?: number;
}

/** The world's handle on one node's process. */
export interface NodeHandle {
  readonly id: string;
  /** What the node last said of its role in an idle line (ticks extension), if anything. */
  claim: RoleClaim | null;
}

export interface ProcessSystem extends System<NodeHandle, NodeHandle> {
  readonly clock: NodeClock;
  readonly command: readonly string[];
  /** Whether the nodes report their role and epoch in their idle lines. */
  readonly reportsRoles: boolean;
  /** Where each node's stderr is kept. */
  stderrFile(node: string): string;
  /** Processes booted (a run's first boot or a restart, through init) and the milliseconds that took, so far. */
  boots(): { readonly count: number; readonly millis: number };
  /** Ends every process this system started (by PID) and the thread that owns them. */
  close(): void;
}

const INIT_SOURCE = 'leaderlog';

/**
 * Starts the first node once to learn what it speaks (clock, roles), then returns the system. Throws a
 * SystemError naming the node and what it printed when it does not answer `init` as it should.
 */
export function processSystem(options: NodeCommandOptions): ProcessSystem {
  if (options.command.length === 0 || options.command[0] === '') throw new RangeError('the node command is empty');
  const clock = options.clock ?? 'ticks';
  const ids = nodeIds(options.nodes);
  const clients = options.clients ?? 3;
  const workDir = resolve(options.workDir);
  // Named by its program (the script it runs, if any): the name goes into file names.
  const program = options.command.find((arg, i) => i > 0 && existsSync(arg)) ?? options.command[0]!;
  const name = options.name ?? basename(program);
  const tickMillis = options.tickMillis ?? 20;
  const answerMillis = options.answerMillis ?? 5000;
  const initMillis = options.initMillis ?? 10_000;
  // A node runs in its own working folder: paths in the command are made absolute first.
  const command = options.command.map((arg) => (existsSync(arg) ? resolve(arg) : arg));
  const pool = new NodePool();
  const folder = (id: string) => join(workDir, id);
  const stderrFile = (id: string) => join(workDir, `${id}.stderr`);
  let roles = false;
  const booting = { count: 0, millis: 0 };

  const fail = (id: string, step: number, what: string): never => {
    throw new SystemError(`node ${id} (${name}) ${what} at step ${step}${stderrTail(stderrFile(id))}`, step, id);
  };
  const check = (id: string, step: number, reply: HostReply): HostReply => {
    if ('error' in reply) fail(id, step, reply.error);
    return reply;
  };

  /** Sends what the node printed on into the world, from this node's pipe; true once its idle line came. */
  const route = (handle: NodeHandle, lines: readonly string[], ctx: NodeContext | null, step: number): boolean => {
    for (const line of lines) {
      const data = parseLine(line);
      if (data === undefined) fail(handle.id, step, `printed a line that is not JSON: ${quote(line)}`);
      if (isIdleLine(line)) {
        const idle = data as { type?: unknown; body?: Record<string, unknown> };
        handle.claim = claimOf(idle.type === 'idle' ? (idle as Record<string, unknown>) : idle.body!) ?? handle.claim;
        return true;
      }
      const message = data as { src?: unknown; dest?: unknown; body?: Body };
      if (
        typeof message !== 'object' ||
        message === null ||
        typeof message.dest !== 'string' ||
        typeof message.body !== 'object' ||
        message.body === null ||
        typeof message.body.type !== 'string'
      ) {
        fail(handle.id, step, `printed a line that is not a message {"src", "dest", "body": {"type", ...}}: ${quote(line)}`);
      }
      const dest = message.dest as string;
      if (dest === INIT_SOURCE && message.body!.type === 'init_ok') continue;
      const known = ids.includes(dest) || (/^c\d+$/.test(dest) && Number(dest.slice(1)) >= 1 && Number(dest.slice(1)) <= clients);
      if (!known)
        fail(
          handle.id,
          step,
          `sent to "${dest}", which does not exist (nodes ${ids.join(', ')}; clients ${clientId(0)}..${clientId(clients - 1)}): ${quote(line)}`,
        );
      if (ctx === null) fail(handle.id, step, `sent a message before answering init: ${quote(line)}`);
      const src = typeof message.src === 'string' ? message.src : handle.id;
      if (src === handle.id) ctx!.send(dest, message.body!);
      else ctx!.forward({ src, dest, body: message.body! });
    }
    return false;
  };

  /** Writes `input` to the node and takes in what it prints: in ticks mode up to its idle line. */
  const exchange = (handle: NodeHandle, input: string | null, ctx: NodeContext, what: string): void => {
    const ticks = clock === 'ticks';
    const millis = ticks ? answerMillis : input === null ? tickMillis : 0;
    const reply = check(
      handle.id,
      ctx.now,
      pool.call({ op: 'exchange', node: handle.id, line: input, until: ticks ? 'idle' : 'wait', millis }, millis),
    ) as Extract<HostReply, { lines: unknown }>;
    const idle = route(handle, reply.lines, ctx, ctx.now);
    if (ticks && !idle && reply.ended === null) fail(handle.id, ctx.now, `never printed {"type":"idle"} within ${millis} ms of ${what}`);
    if (reply.ended !== null) fail(handle.id, ctx.now, `${reply.ended} (after ${what})`);
  };

  // The world names the node and the step of what this throws.
  const signal = (handle: NodeHandle, sig: 'SIGSTOP' | 'SIGCONT'): void => {
    const reply = pool.call({ op: 'signal', node: handle.id, signal: sig });
    if ('error' in reply) throw new Error(`${name}: ${sig} failed: ${reply.error}`);
  };

  /** A fresh process for node `id` (its folder emptied on a run's first boot, kept on a restart), through init. */
  const boot = (id: string, ctx: NodeContext | null, fresh: boolean, step: number): NodeHandle => {
    const started = performance.now();
    try {
      return bootOnce(id, ctx, fresh, step);
    } finally {
      booting.count++;
      booting.millis += performance.now() - started;
    }
  };
  const bootOnce = (id: string, ctx: NodeContext | null, fresh: boolean, step: number): NodeHandle => {
    const dir = folder(id);
    mkdirSync(dir, { recursive: true });
    if (fresh) for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
    const marker = `--- leaderlog: ${id} restarted at step ${step} ---\n`;
    check(id, step, pool.call({ op: 'start', node: id, command, cwd: dir, stderrFile: stderrFile(id), fresh, marker }, 10_000));
    const handle: NodeHandle = { id, claim: null };
    const init = {
      src: INIT_SOURCE,
      dest: id,
      body: { type: 'init', msg_id: 1, node_id: id, node_ids: ids, ...(clock === 'ticks' && { ticks: true }) },
    };
    const reply = check(
      id,
      step,
      pool.call({ op: 'exchange', node: id, line: JSON.stringify(init), until: 'init_ok', millis: initMillis }, initMillis),
    ) as Extract<HostReply, { lines: unknown }>;
    let lines = reply.lines;
    const at = lines.findIndex((line) => (parseLine(line) as { body?: { type?: unknown } } | undefined)?.body?.type === 'init_ok');
    if (at < 0) {
      const bad = lines.find((line) => parseLine(line) === undefined);
      if (bad !== undefined) fail(id, step, `printed a line that is not JSON: ${quote(bad)}`);
      if (lines.length > 0) fail(id, step, `answered init with ${quote(lines[0]!)}, not init_ok`);
      fail(id, step, reply.ended !== null ? `${reply.ended} before answering init` : `never answered init within ${initMillis} ms`);
    }
    const ok = (parseLine(lines[at]!) as { body: Record<string, unknown> }).body;
    if (clock === 'ticks' && ok.ticks !== true) {
      fail(
        id,
        step,
        `answered init without "ticks": true, so it keeps its own time; run it with --clock wall (clock: 'wall'), or have it speak the ticks extension (README: "The ticks extension")`,
      );
    }
    if (ctx === null) roles = ok.roles === true;
    lines = lines.slice(at + 1);
    if (clock === 'ticks' && !lines.some(isIdleLine)) {
      const more = check(
        id,
        step,
        pool.call({ op: 'exchange', node: id, line: null, until: 'idle', millis: answerMillis }, answerMillis),
      ) as Extract<HostReply, { lines: unknown }>;
      lines = [...lines, ...more.lines];
      if (!lines.some(isIdleLine))
        fail(
          id,
          step,
          more.ended !== null ? `${more.ended} after init_ok` : `never printed {"type":"idle"} within ${answerMillis} ms of init`,
        );
    }
    route(handle, lines, ctx, step);
    return handle;
  };

  try {
    boot(ids[0]!, null, true, 0);
    check(ids[0]!, 0, pool.call({ op: 'kill', node: ids[0]! }));
  } catch (error) {
    pool.close();
    throw error;
  }

  const system: ProcessSystem = {
    name,
    nodes: options.nodes,
    clients,
    ...(options.keys !== undefined && { keys: options.keys }),
    ...(options.story !== undefined && { story: options.story }),
    ...(options.knownFor !== undefined && { knownFor: options.knownFor }),
    ...(options.workloads !== undefined && { workloads: options.workloads }),
    ...(options.patience !== undefined && { patience: options.patience }),
    clock,
    command: options.command,
    reportsRoles: roles,
    stderrFile,
    init: (ctx) => boot(ctx.id, ctx, true, ctx.now),
    receive: (handle, message, ctx) =>
      exchange(
        handle,
        JSON.stringify({ src: message.src, dest: message.dest, body: message.body }),
        ctx,
        `the message ${JSON.stringify(message)}`,
      ),
    tick: (handle, ctx) =>
      exchange(
        handle,
        clock === 'ticks' ? JSON.stringify({ src: INIT_SOURCE, dest: handle.id, body: { type: 'tick' } }) : null,
        ctx,
        'a tick',
      ),
    // The crash itself: the process is killed; what survives is its working folder.
    durable: (handle) => {
      pool.call({ op: 'kill', node: handle.id });
      return handle;
    },
    restart: (handle, ctx) => boot(handle.id, ctx, false, ctx.now),
    // A pause is the process stopped: on the wall clock its own time runs on meanwhile. What is sent
    // to it waits in the world and reaches it after SIGCONT; a stopped process still dies by SIGKILL.
    pause: (handle) => signal(handle, 'SIGSTOP'),
    resume: (handle) => signal(handle, 'SIGCONT'),
    boots: () => ({ ...booting }),
    close: () => pool.close(),
  };
  if (roles) (system as System<NodeHandle, NodeHandle>).role = (handle) => handle.claim ?? { role: 'follower', epoch: 0 };
  return system;
}

function claimOf(idle: Record<string, unknown>): RoleClaim | null {
  const role = idle.role;
  if (role !== 'leader' && role !== 'follower' && role !== 'candidate') return null;
  return { role, epoch: Number.isInteger(idle.epoch) ? (idle.epoch as number) : 0 };
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function quote(line: string): string {
  return JSON.stringify(line.length > 300 ? `${line.slice(0, 300)}...` : line);
}

/** The last lines the node wrote to stderr, for an error about it. */
function stderrTail(file: string): string {
  if (!existsSync(file)) return '';
  const lines = readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .filter((line) => line !== '');
  if (lines.length === 0) return `; it wrote nothing to stderr (${file})`;
  return `; its stderr (${file}) ends:\n  ${lines.slice(-5).join('\n  ')}`;
}
