import type { NodeRole } from '../../history/event.ts';
import type { Action } from '../world/action.ts';
import type { Message } from './message.ts';
import type { State } from './state.ts';
import { nodeName } from './state.ts';
import type { StepResult } from './step.ts';

// The model's own account of a run, step by step, for explanations: what was done, where every node
// stood afterwards, and what went over the wire.

export interface NodeSnapshot {
  readonly id: string;
  /** `up`: a system that says nothing of roles. */
  readonly role: NodeRole | 'up';
  /** Missing for a system that says nothing of roles. */
  readonly epoch?: number;
  /** Log length (the built-in model's nodes). */
  readonly log?: number;
  readonly commit?: number;
}

export interface MessageNote {
  readonly id: number;
  /** The built-in model's message kind, or a system message's body type. */
  readonly kind: Message['kind'] | (string & {});
  readonly from: string;
  readonly to: string;
  /** The built-in model's messages carry their sender's epoch. */
  readonly epoch?: number;
  /** append: how many entries, after which index. */
  readonly entries?: number;
  readonly after?: number;
  /** Replies: accepted / granted. */
  readonly ok?: boolean;
}

export interface TraceStep {
  readonly time: number;
  readonly action: Action;
  /** Why the action changed nothing, when it did not apply. */
  readonly noop?: string;
  readonly nodes: readonly NodeSnapshot[];
  readonly sent: readonly MessageNote[];
  readonly delivered: readonly MessageNote[];
  readonly dropped: readonly MessageNote[];
}

export function traceStep(action: Action, result: StepResult): TraceStep {
  return {
    time: result.state.time,
    action,
    ...(result.noop !== null && { noop: result.noop }),
    nodes: snapshot(result.state),
    sent: result.sent.map(note),
    delivered: result.delivered.map(note),
    dropped: result.dropped.map(note),
  };
}

export function snapshot(state: State): NodeSnapshot[] {
  return state.nodes.map((n) => ({ id: n.id, role: n.up ? n.role : 'down', epoch: n.epoch, log: n.log.length, commit: n.commit }));
}

function note(m: Message): MessageNote {
  const { id, kind, epoch } = m;
  const from = nodeName(m.from);
  const to = nodeName(m.to);
  switch (m.kind) {
    case 'append':
      return { id, kind, from, to, epoch, entries: m.entries.length, after: m.prevIndex };
    case 'append-reply':
      return { id, kind, from, to, epoch, ok: m.success };
    case 'vote-reply':
      return { id, kind, from, to, epoch, ok: m.granted };
    case 'vote':
      return { id, kind, from, to, epoch };
  }
}
