import type { Event, EventType } from '../../history/event.ts';
import type { Value } from '../../history/value.ts';
import type { Effects } from './effects.ts';
import type { State } from './state.ts';
import { nodeName, withClient } from './state.ts';

// How a client's pending operation ends, and the history event that says so.

export interface Outcome {
  readonly type: Exclude<EventType, 'invoke'>;
  /** What was observed (a read's value); the invocation's value when omitted. */
  readonly value?: Value;
  /** The epoch under which the serving node acknowledged it. */
  readonly epoch?: number;
  readonly error?: string;
  /** Where the client will send its next operation; unchanged when omitted. */
  readonly retarget?: number;
}

export function complete(state: State, client: number, outcome: Outcome, fx: Effects): State {
  const current = state.clients[client];
  const op = current.pending;
  if (op === null) return state;
  const event: Event = {
    type: outcome.type,
    process: client,
    f: op.f,
    key: op.key,
    value: outcome.value === undefined ? op.value : outcome.value,
    time: state.time,
    node: nodeName(op.node),
    ...(outcome.epoch !== undefined && { epoch: outcome.epoch }),
    ...(outcome.error !== undefined && { error: outcome.error }),
  };
  fx.events.push(event);
  return withClient(state, client, {
    ...current,
    pending: null,
    target: outcome.retarget === undefined ? current.target : outcome.retarget,
  });
}

/**
 * The node stopped serving (it crashed, or stepped down): every client waiting on it learns nothing
 * more. A write may yet take effect (info); a read changes nothing, so it certainly did not (fail).
 * Each such client tries the next node.
 */
export function abandonClientsOf(state: State, node: number, reason: string, fx: Effects): State {
  let next = state;
  for (let c = 0; c < state.clients.length; c++) {
    const op = state.clients[c].pending;
    if (op === null || op.node !== node) continue;
    const retarget = (state.clients[c].target + 1) % state.policy.nodes;
    next = complete(next, c, { type: op.f === 'read' ? 'fail' : 'info', error: reason, retarget }, fx);
  }
  return next;
}

/** Whether `client` is still waiting on `node` for operation `seq`: a late answer to anything else is ignored. */
export function awaits(state: State, client: number, node: number, seq: number): boolean {
  const op = state.clients[client]?.pending;
  return op != null && op.node === node && op.seq === seq;
}
