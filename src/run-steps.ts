import type { Event } from '../history/event.ts';
import { isClientProcess, ROLE_ANNOTATION } from '../history/event.ts';
import { describeValue } from '../history/value.ts';
import type { Action, MessageNote, TraceStep } from '../models/index.ts';
import { choose } from '../models/index.ts';

// A model run as text, a line per step: what the schedule did (with the message it picked, spelled
// out) and what clients and nodes saw because of it. The finale is folded to the steps a reader cares
// about (a fault ended, a node leading, standing or down, a client's answer): settling otherwise is
// ticks and deliveries, and a flawed design can keep nodes switching leaders for hundreds of them.

export interface RunStepsInput {
  readonly trace: readonly TraceStep[];
  /** The run's history (its events carry the step's time). */
  readonly events: readonly Event[];
  /** How many of the trace's steps were the schedule's; the rest are the finale's. */
  readonly scheduled: number;
}

export function runSteps({ trace, events, scheduled }: RunStepsInput): string[] {
  const byTime = new Map<number, Event[]>();
  for (const event of events) {
    if (event.time === undefined || event.time === 0 || event.process === 'nemesis') continue;
    let list = byTime.get(event.time);
    if (!list) {
      list = [];
      byTime.set(event.time, list);
    }
    list.push(event);
  }
  const width = String(trace.length).length;
  const line = (step: TraceStep) => {
    const seen = (byTime.get(step.time) ?? []).map(describeEvent);
    const what = describeStep(step);
    return `  ${String(step.time).padStart(width)}  ${seen.length > 0 ? `${what.padEnd(36)}  ${seen.join('; ')}` : what}`;
  };
  const lines = trace.slice(0, scheduled).map(line);
  if (trace.length > scheduled) {
    lines.push(`  ${'-'.repeat(width)}  finale: heal, restart, settle, read every key`);
    let quiet = 0;
    for (const step of trace.slice(scheduled)) {
      if (!(byTime.get(step.time) ?? []).some(notable) && !isFault(step.action)) {
        quiet++;
        continue;
      }
      if (quiet > 0) lines.push(`  ${' '.repeat(width)}  … ${quiet} quiet step${quiet === 1 ? '' : 's'} (ticks, deliveries)`);
      quiet = 0;
      lines.push(line(step));
    }
    if (quiet > 0) lines.push(`  ${' '.repeat(width)}  … ${quiet} quiet step${quiet === 1 ? '' : 's'} (ticks, deliveries)`);
  }
  return lines;
}

/** Anything but a node becoming (again) a follower. */
function notable(event: Event): boolean {
  return event.f !== ROLE_ANNOTATION || event.value !== 'follower';
}

function isFault(action: Action): boolean {
  return action.kind === 'heal' || action.kind === 'restart' || action.kind === 'crash' || action.kind === 'resume';
}

/** The action, with the message it moved spelled out, and why it did nothing when it did nothing. */
function describeStep(step: TraceStep): string {
  const action = step.action;
  const text = describeAction(action, step);
  return step.noop !== undefined ? `${text} (no-op: ${step.noop})` : text;
}

function describeAction(action: Action, step: TraceStep): string {
  switch (action.kind) {
    case 'invoke':
      return `p${action.client} ${action.f} key ${action.key}${action.node !== undefined ? ` at n${action.node + 1}` : ''}`;
    case 'timeout':
      return `p${action.client} times out`;
    case 'retry':
      return `p${action.client} sends its request again`;
    case 'deliver':
      return step.delivered[0]
        ? `deliver ${describeMessage(step.delivered[0])}`
        : step.dropped[0]
          ? `lose ${describeMessage(step.dropped[0])}`
          : 'deliver';
    case 'drop':
      return step.dropped[0] ? `drop ${describeMessage(step.dropped[0])}` : 'drop';
    case 'duplicate':
      return `duplicate a message`;
    case 'partition':
      return `partition ${sides(action.groups, step.nodes.length)}`;
    case 'cut':
      return `cut n${action.from + 1}→n${action.to + 1}`;
    case 'heal':
      return 'heal';
    case 'pause':
      return `pause n${action.node + 1} (stopped; what reaches it waits)`;
    case 'cluster':
      return `a cluster of ${action.nodes} nodes`;
    case 'clock':
      return `n${action.node + 1}'s clock runs ${['slow', 'true', 'fast'][choose(action.rate + 1, 3)]}`;
    default:
      return `${action.kind} n${action.node + 1}`;
  }
}

function describeMessage(m: MessageNote): string {
  const detail =
    m.kind === 'append'
      ? ` (${m.entries} entr${m.entries === 1 ? 'y' : 'ies'} after ${m.after})`
      : m.ok !== undefined
        ? m.ok
          ? ' (yes)'
          : ' (no)'
        : '';
  return `${m.kind} ${m.from}→${m.to}${m.epoch !== undefined ? ` e${m.epoch}` : ''}${detail}`;
}

function sides(groups: readonly number[], nodes: number): string {
  const byGroup = new Map<number, string[]>();
  for (let i = 0; i < nodes; i++) {
    const group = groups[i] ?? 0;
    let names = byGroup.get(group);
    if (!names) {
      names = [];
      byGroup.set(group, names);
    }
    names.push(`n${i + 1}`);
  }
  return [...byGroup.keys()]
    .sort((a, b) => a - b)
    .map((g) => `{${byGroup.get(g)!.join(' ')}}`)
    .join(' | ');
}

/** An event in a few words: `p0 ok read -> [1 2] at n2 e1`, `n2 leader e2`. */
function describeEvent(event: Event): string {
  if (!isClientProcess(event.process)) {
    if (event.f === ROLE_ANNOTATION) return `${event.node} ${describeValue(event.value)} e${event.epoch}`.replaceAll('"', '');
    return `${event.process} ${event.f}`;
  }
  const where = event.node !== undefined ? ` at ${event.node}${event.epoch !== undefined ? ` e${event.epoch}` : ''}` : '';
  const key = event.key !== undefined ? ` key ${event.key}` : '';
  switch (event.type) {
    case 'invoke':
      return `p${event.process} invokes ${event.f}${key}${event.f === 'read' ? '' : ` ${describeValue(event.value, 20)}`}${where}`;
    case 'ok':
      return `p${event.process} ok ${event.f}${event.f === 'read' ? ` -> ${describeValue(event.value, 30)}` : ''}${where}`;
    default:
      return `p${event.process} ${event.type} ${event.f}${event.error !== undefined ? ` (${describeValue(event.error, 30).replaceAll('"', '')})` : ''}`;
  }
}
