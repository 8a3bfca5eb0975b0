import type { Action } from '../world/action.ts';
import type { MessageNote, NodeSnapshot, TraceStep } from '../world/trace.ts';
import type { Message } from './message.ts';
import type { State } from './state.ts';
import { nodeName } from './state.ts';
import type { StepResult } from './step.ts';

// The built-in model's trace steps (world/trace.ts): each node's role, epoch, log and commit, and its
// messages with their epochs, entries and answers.

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
