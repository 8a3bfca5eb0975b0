// The adapter that puts KvNode under leaderlog: 25 lines of glue, no change to the store itself.

import { defineSystem } from '../../src/index.ts';
import type { Disk } from './store.ts';
import { KvNode } from './store.ts';

export const asyncKv = defineSystem<KvNode, Disk>({
  name: 'async-kv',
  story: 'Asynchronous replication and followers that promote themselves on a timeout.',
  nodes: 3,
  patience: 5,
  knownFor: ['lost-write', 'dual-leader', 'stale-read'],
  init: (ctx) => new KvNode(ctx.id, ctx.nodeIds, null, timeoutOf(ctx.id)),
  receive: (node, message, ctx) => node.handle(message, ctx),
  tick: (node, ctx) => node.tick(ctx),
  durable: (node) => node.disk(),
  restart: (disk, ctx) => new KvNode(ctx.id, ctx.nodeIds, disk, timeoutOf(ctx.id)),
  role: (node) => ({ role: node.role, epoch: node.term }),
});

/** Followers give up on the leader after 3, 4, 5 ticks: not all at once. */
function timeoutOf(id: string): number {
  return 2 + Number(id.slice(1));
}
