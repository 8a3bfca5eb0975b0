import type { Value } from '../../history/value.ts';
import { complete } from './completion.ts';
import type { Effects } from './effects.ts';
import { noop } from './effects.ts';
import { answerReads, leaseHolds } from './reads.ts';
import { broadcast, leaderAppend } from './replication.ts';
import type { OpF } from '../world/action.ts';
import { OP_FUNCTIONS } from '../world/action.ts';
import type { PendingOp, State } from './state.ts';
import { nodeName, withClient, withNode } from './state.ts';

// Clients: one operation at a time each, sent to the node the client believes leads (a read under
// offloaded reads goes to some other node). The model assigns every written value from one counter,
// so each value is written once in a run and a checker can tell every write apart.

/** How many recent values per key a cas may pick its expected value from. */
const RECENT = 4;

export interface Invocation {
  readonly client: number;
  readonly f: OpF;
  readonly key: number;
  /** The node the client connects to this time; null: the one it believes leads (or a follower, offloaded). */
  readonly node: number | null;
  /** Which recent value a cas expects. */
  readonly pick: number;
}

export function invoke(state: State, { client, f, key, node: chosen, pick }: Invocation, fx: Effects): State {
  const { policy } = state;
  const c = state.clients[client];
  if (c.pending !== null) return noop(fx, state, `client ${client} is busy`);
  if (!OP_FUNCTIONS.includes(f)) return noop(fx, state, `no operation ${String(f)}`);
  const node = chosen ?? (f === 'read' && policy.reads === 'follower' ? offloadTarget(state, client) : c.target);
  let next = state;
  let value: Value = null;
  if (f !== 'read') {
    const written = state.nextValue;
    const recent = state.recent[key];
    value = f === 'cas' ? [recent.length === 0 ? null : recent[pick % recent.length], written] : written;
    const keyed = state.recent.slice();
    keyed[key] = [written, ...recent.slice(0, RECENT - 1)];
    next = { ...next, nextValue: written + 1, recent: keyed };
  }
  const op: PendingOp = { seq: c.seq + 1, f, key, value, node, round: 0 };
  fx.events.push({ type: 'invoke', process: client, f, key, value, time: state.time, node: nodeName(node) });
  next = withClient(next, client, { ...c, seq: op.seq, pending: op });
  return serve(next, client, op, fx);
}

/** The node the request reaches decides at once, or leaves the client waiting on it. */
function serve(state: State, client: number, op: PendingOp, fx: Effects): State {
  const { policy } = state;
  const node = state.nodes[op.node];
  if (!node.up) return complete(state, client, { type: 'fail', error: 'unavailable', retarget: nextNode(state, op.node) }, fx);
  if (op.f === 'read' && policy.reads === 'follower') {
    return complete(state, client, { type: 'ok', value: node.store[op.key], epoch: node.epoch }, fx);
  }
  if (node.role !== 'leader') {
    const retarget = node.leader !== null && node.leader !== op.node ? node.leader : nextNode(state, op.node);
    return complete(state, client, { type: 'fail', error: 'not leader', retarget }, fx);
  }
  if (op.f !== 'read') {
    return leaderAppend(state, op.node, { kind: 'client', f: op.f, key: op.key, value: op.value, client, seq: op.seq }, fx);
  }
  switch (policy.reads) {
    case 'leader':
      return complete(state, client, { type: 'ok', value: node.store[op.key], epoch: node.epoch }, fx);
    case 'lease':
      return leaseHolds(state, op.node)
        ? complete(state, client, { type: 'ok', value: node.store[op.key], epoch: node.epoch }, fx)
        : complete(state, client, { type: 'fail', error: 'no lease' }, fx);
    default: {
      // read-index: a new round that a majority must acknowledge before the leader answers.
      const round = node.round + 1;
      let next = withNode(state, op.node, { ...node, round });
      next = withClient(next, client, { ...next.clients[client], pending: { ...op, round } });
      return answerReads(broadcast(next, op.node, fx), op.node, fx);
    }
  }
}

/** Offloaded reads go to a node other than the leader the client knows, spread over the clients. */
function offloadTarget(state: State, client: number): number {
  const n = state.policy.nodes;
  if (n === 1) return 0;
  return (state.clients[client].target + 1 + (client % (n - 1))) % n;
}

function nextNode(state: State, node: number): number {
  return (node + 1) % state.policy.nodes;
}

/** The client gives up waiting: a write may still take effect (info); a read certainly changed nothing. */
export function timeout(state: State, client: number, fx: Effects): State {
  const op = state.clients[client].pending;
  if (op === null) return noop(fx, state, `client ${client} waits for nothing`);
  return complete(state, client, { type: op.f === 'read' ? 'fail' : 'info', error: 'timeout', retarget: nextNode(state, op.node) }, fx);
}
