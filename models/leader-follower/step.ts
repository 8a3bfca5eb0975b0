import type { Event } from '../../history/event.ts';
import { ROLE_ANNOTATION } from '../../history/event.ts';
import type { Action } from '../world/action.ts';
import { choose } from '../world/action.ts';
import { invoke, timeout } from './client.ts';
import { tick } from './clock.ts';
import { crash, restart } from './crash.ts';
import type { Effects } from './effects.ts';
import { newEffects, noop } from './effects.ts';
import { onVote, onVoteReply } from './election.ts';
import type { Message } from './message.ts';
import { cut, duplicate, heal, isSevered, linkOpen, partition, take } from './network.ts';
import { demote, promote } from './operator.ts';
import { onAppend, onAppendReply } from './replication.ts';
import type { Node, State } from './state.ts';

export interface StepResult {
  readonly state: State;
  /** History events, in order: faults, then role changes, then client invocations and completions. */
  readonly events: readonly Event[];
  readonly sent: readonly Message[];
  readonly delivered: readonly Message[];
  /** Lost: dropped by the schedule, sent over a cut link, or arriving at a down node. */
  readonly dropped: readonly Message[];
  /** Why the action changed nothing; null when it applied. */
  readonly noop: string | null;
}

/**
 * The one transition function: advances logical time by one and applies the action. Pure: the input
 * state is never modified; the result shares every part the action did not touch.
 */
export function step(state: State, action: Action): StepResult {
  const fx = newEffects();
  const before = { ...state, time: state.time + 1 };
  const after = dispatch(before, action, fx);
  const events = fx.faults;
  annotateRoles(state, after, events);
  for (const e of fx.events) events.push(e);
  return { state: after, events, sent: fx.sent, delivered: fx.delivered, dropped: fx.dropped, noop: fx.noop };
}

function dispatch(state: State, action: Action, fx: Effects): State {
  const { nodes, clients, keys } = state.policy;
  switch (action.kind) {
    case 'invoke':
      return invoke(state, {
        client: choose(action.client, clients),
        f: action.f,
        key: choose(action.key, keys),
        node: action.node === undefined ? null : choose(action.node, nodes),
        pick: choose(action.pick, 1 << 30),
      }, fx);
    case 'timeout':
      return timeout(state, choose(action.client, clients), fx);
    case 'deliver':
    case 'drop':
    case 'duplicate': {
      const count = state.network.inFlight.length;
      if (count === 0) return noop(fx, state, 'no message in flight');
      const index = choose(action.pick, count);
      if (action.kind === 'duplicate') return duplicate(state, index, fx);
      const message = state.network.inFlight[index];
      const rest = take(state, index);
      if (action.kind === 'drop') {
        fx.dropped.push(message);
        return rest;
      }
      return deliver(rest, message, fx);
    }
    case 'tick':
      return tick(state, choose(action.node, nodes), fx);
    case 'crash':
      return crash(state, choose(action.node, nodes), fx);
    case 'restart':
      return restart(state, choose(action.node, nodes), fx);
    case 'partition':
      return partition(state, Array.isArray(action.groups) ? action.groups : [], fx);
    case 'cut': {
      const from = choose(action.from, nodes);
      const to = choose(action.to, nodes);
      if (from === to) return noop(fx, state, 'a node cannot be cut from itself');
      if (!linkOpen(state, from, to)) return noop(fx, state, 'that link is already cut');
      return cut(state, from, to, fx);
    }
    case 'heal':
      return isSevered(state) ? heal(state, fx) : noop(fx, state, 'nothing to heal');
    case 'promote':
      return promote(state, choose(action.node, nodes), fx);
    case 'demote':
      return demote(state, choose(action.node, nodes), fx);
    default:
      return noop(fx, state, `no action ${String((action as { kind?: unknown }).kind)}`);
  }
}

function deliver(state: State, message: Message, fx: Effects): State {
  if (!linkOpen(state, message.from, message.to) || !state.nodes[message.to].up) {
    fx.dropped.push(message);
    return state;
  }
  fx.delivered.push(message);
  switch (message.kind) {
    case 'append':
      return onAppend(state, message, fx);
    case 'append-reply':
      return onAppendReply(state, message, fx);
    case 'vote':
      return onVote(state, message, fx);
    case 'vote-reply':
      return onVoteReply(state, message, fx);
  }
}

/** Every change of a node's role, epoch or liveness becomes a role annotation in the history. */
function annotateRoles(before: State, after: State, events: Event[]): void {
  if (before.nodes === after.nodes) return;
  for (let i = 0; i < after.nodes.length; i++) {
    const was = before.nodes[i];
    const now = after.nodes[i];
    if (was === now || (was.up === now.up && was.role === now.role && was.epoch === now.epoch)) continue;
    events.push(roleEvent(now, after.time));
  }
}

export function roleEvent(node: Node, time: number): Event {
  return { type: 'info', process: 'cluster', f: ROLE_ANNOTATION, node: node.id, value: node.up ? node.role : 'down', epoch: node.epoch, time };
}
