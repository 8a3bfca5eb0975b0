import type { Body, NodeContext } from '../../src/index.ts';
import { defineSystem } from '../../src/index.ts';
import type { ExampleNode } from './async-leader.mjs';
import { createNode } from './async-leader.mjs';

// The JavaScript example node, the very same code, as an in-process System: what `npm run bench nodes`
// sets beside the node run as a process, to show what the pipes cost.

interface Running {
  readonly node: ExampleNode;
  /** Where the node's output goes during the current handler call. */
  ctx: NodeContext | null;
}

function boot(ctx: NodeContext): Running {
  const running: Running = { node: null as unknown as ExampleNode, ctx };
  const node = createNode((message) => {
    const { src, dest, body } = message as { src?: string; dest?: string; body?: Body };
    if (dest === undefined || body === undefined || dest === 'leaderlog') return;
    if (src === ctx.id) running.ctx!.send(dest, body);
    else running.ctx!.forward({ src: src!, dest, body });
  });
  Object.assign(running, { node });
  node.input({ src: 'leaderlog', dest: ctx.id, body: { type: 'init', msg_id: 1, node_id: ctx.id, node_ids: ctx.nodeIds, ticks: true } });
  return running;
}

function input(running: Running, ctx: NodeContext, message: Parameters<ExampleNode['input']>[0]): void {
  running.ctx = ctx;
  running.node.input(message);
}

export const asyncLeaderInProcess = defineSystem<Running, null>({
  name: 'async-leader.mjs, in process',
  nodes: 3,
  init: boot,
  receive: (running, message, ctx) => input(running, ctx, { src: message.src, dest: message.dest, body: message.body }),
  tick: (running, ctx) => input(running, ctx, { src: 'leaderlog', dest: ctx.id, body: { type: 'tick' } }),
  durable: () => null,
  restart: (_, ctx) => boot(ctx),
  role: (running) => running.node.role(),
});
