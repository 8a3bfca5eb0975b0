import { produce } from './draft.ts';
import type { Effects } from './effects.ts';
import { fault } from './effects.ts';
import type { Message } from './message.ts';
import type { State } from './state.ts';
import { nodeName } from './state.ts';

// The network between nodes: directed links that a partition or a one-way cut can sever, and the
// messages in flight, which the schedule delivers, drops or duplicates in any order it likes.
// Clients reach every up node: the faults of interest are between the nodes.

export function linkOpen(state: State, from: number, to: number): boolean {
  return (state.network.cuts[from] & (1 << to)) === 0;
}

/**
 * Sends a message numbered `state.nextMessageId` (the sender stamps it, sparing a copy). A message over
 * a severed link is lost at once, so a leader retries it on its next tick.
 */
export function send(state: State, message: Message, fx: Effects): State {
  fx.sent.push(message);
  const nextMessageId = message.id + 1;
  if (!linkOpen(state, message.from, message.to)) {
    fx.dropped.push(message);
    return { ...state, nextMessageId };
  }
  const inFlight = state.network.inFlight.slice();
  inFlight.push(message);
  return { ...state, nextMessageId, network: { cuts: state.network.cuts, inFlight } };
}

/** Removes in-flight message `index` (already reduced modulo the count). */
export function take(state: State, index: number): State {
  const inFlight = state.network.inFlight.slice();
  inFlight.splice(index, 1);
  return { ...state, network: { ...state.network, inFlight } };
}

export function duplicate(state: State, index: number, fx: Effects): State {
  const copy = { ...state.network.inFlight[index], id: state.nextMessageId };
  fx.sent.push(copy);
  return {
    ...state,
    nextMessageId: state.nextMessageId + 1,
    network: { ...state.network, inFlight: [...state.network.inFlight, copy] },
  };
}

/** Whether `from` already has an append of its current epoch on the way to `to`: one at a time per link. */
export function appendInFlight(state: State, from: number, to: number, epoch: number): boolean {
  for (const m of state.network.inFlight) {
    if (m.kind === 'append' && m.from === from && m.to === to && m.epoch === epoch) return true;
  }
  return false;
}

/**
 * Replaces every cut with this grouping: node i is in group groups[i] (0 when missing), and nodes in
 * different groups cannot talk either way.
 */
export function partition(state: State, groups: readonly number[], fx: Effects): State {
  const n = state.policy.nodes;
  const groupOf = (i: number) => Math.trunc(Number(groups[i]) || 0);
  const cuts = new Array<number>(n).fill(0);
  const sides = new Map<number, string[]>();
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (groupOf(i) !== groupOf(j)) cuts[i] |= 1 << j;
    const side = sides.get(groupOf(i)) ?? [];
    side.push(nodeName(i));
    sides.set(groupOf(i), side);
  }
  fault(fx, state.time, 'partition', [...sides.values()]);
  return produce(state, (draft) => {
    draft.network.cuts = cuts;
  });
}

/** Severs one direction of one link, on top of the cuts already there. */
export function cut(state: State, from: number, to: number, fx: Effects): State {
  fault(fx, state.time, 'cut', { from: nodeName(from), to: nodeName(to) });
  return produce(state, (draft) => {
    draft.network.cuts[from] |= 1 << to;
  });
}

export function isSevered(state: State): boolean {
  return state.network.cuts.some((c) => c !== 0);
}

export function heal(state: State, fx: Effects): State {
  fault(fx, state.time, 'heal', null);
  return produce(state, (draft) => {
    draft.network.cuts.fill(0);
  });
}
