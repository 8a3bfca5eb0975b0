#!/usr/bin/env node
// A small, flawed Maelstrom lin-kv node, speaking leaderlog's ticks extension: n1 starts as leader,
// acknowledges writes at once and replicates them afterwards (asynchronously); a follower that hears
// nothing from a leader for a few ticks makes itself leader of the next term. Followers forward client
// requests to the leader they know, keeping the client's src, and the leader answers the client.
// It loses acknowledged writes when the leader dies before replicating, and a partitioned leader keeps
// leading beside the new one: two leaders. Nothing is kept on disk.
//
//   leaderlog test --node "node examples/maelstrom/async-leader.mjs" --nodes 3
//
// With --wall it is a plain Maelstrom node that knows nothing of the extension: it ticks on its own
// clock (every 30 ms) and prints no idle lines.
//   leaderlog test --node "node examples/maelstrom/async-leader.mjs --wall" --nodes 3 --clock wall
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

/**
 * One node: `out` takes every message it sends; `wall`: it ticks itself every 30 ms. Returns the input
 * handler (which, on the ticks clock, ends each input with an idle line) and what it believes it is.
 */
export function createNode(out, wall = false) {
  let id = '';
  let peers = [];
  let role = 'follower';
  let term = 0;
  let leader = null;
  let quiet = 0;
  let patience = 3;
  let nextMsgId = 1;
  const store = new Map();

  function send(dest, body, src = id) {
    out({ src, dest, body: { msg_id: nextMsgId++, ...body } });
  }

  function reply(request, body) {
    send(request.src, { ...body, in_reply_to: request.body.msg_id });
  }

  /** Applies a client operation to this node's store: the answer for the client. */
  function apply(body) {
    const value = store.get(body.key);
    switch (body.type) {
      case 'read':
        return value === undefined ? { type: 'error', code: 20, text: 'no such key' } : { type: 'read_ok', value };
      case 'write':
        store.set(body.key, body.value);
        return { type: 'write_ok' };
      case 'append':
        store.set(body.key, [...(value ?? []), body.value]);
        return { type: 'append_ok' };
      case 'cas':
        if (value === undefined && body.from !== null) return { type: 'error', code: 20, text: 'no such key' };
        if ((value ?? null) !== body.from) return { type: 'error', code: 22, text: `expected ${body.from}, found ${value}` };
        store.set(body.key, body.to);
        return { type: 'cas_ok' };
    }
    return { type: 'error', code: 10, text: `no ${body.type}` };
  }

  function tick() {
    if (role === 'leader') {
      for (const peer of peers) send(peer, { type: 'heartbeat', term });
    } else if (++quiet > patience) {
      [role, term, leader, quiet] = ['leader', term + 1, id, 0];
    }
  }

  function handle(message) {
    const { body } = message;
    switch (body.type) {
      case 'init':
        id = body.node_id;
        peers = body.node_ids.filter((n) => n !== id);
        patience = 2 + Number(id.slice(1));
        if (id === body.node_ids[0]) [role, term, leader] = ['leader', 1, id];
        reply(message, wall ? { type: 'init_ok' } : { type: 'init_ok', ticks: true, roles: true });
        if (wall) setInterval(tick, 30);
        return;
      case 'tick':
        tick();
        return;
      case 'heartbeat':
        if (body.term < term) return;
        [role, term, leader, quiet] = [message.src === id ? role : 'follower', body.term, message.src, 0];
        return;
      case 'replicate':
        if (body.term >= term) apply(body.op);
        return;
      case 'read':
      case 'write':
      case 'cas':
      case 'append':
        if (role === 'leader') {
          const answer = apply(body);
          reply(message, answer);
          if (body.type !== 'read' && answer.type !== 'error') for (const peer of peers) send(peer, { type: 'replicate', term, op: body });
        } else if (leader !== null) {
          send(leader, body, message.src);
        } else {
          reply(message, { type: 'error', code: 11, text: 'no leader known' });
        }
        return;
    }
  }

  return {
    input(message) {
      handle(message);
      if (!wall) out({ type: 'idle', role, epoch: term });
    },
    role: () => ({ role, epoch: term }),
  };
}

// Run as a program: JSON lines on stdin and stdout.
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const node = createNode((message) => process.stdout.write(`${JSON.stringify(message)}\n`), process.argv.includes('--wall'));
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() !== '') node.input(JSON.parse(line));
  });
}
