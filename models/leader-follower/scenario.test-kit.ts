import type { Event } from '../../history/event.ts';
import type { Action } from '../world/action.ts';
import type { SystemRun } from '../world/run-system.ts';
import { runSystem } from '../world/run-system.ts';
import type { NodeView } from '../world/system.ts';
import type { MessageNote, TraceStep } from '../world/trace.ts';
import type { Policy } from './policy.ts';
import type { LeaderFollowerNode } from './system.ts';
import { leaderFollower } from './system.ts';

/**
 * A hand-written scenario of the built-in design, built a step at a time with the conveniences a story
 * needs (deliver everything, tick until an election, ...). Every convenience is expanded into plain
 * actions, so `schedule` is a schedule that runSystem replays to the same history. Each step runs the
 * schedule again from the start: stories are short.
 */
export class Scenario {
  readonly schedule: Action[] = [];
  private readonly system;
  private run: SystemRun;
  private ended = false;

  constructor(readonly policy: Policy) {
    this.system = leaderFollower(policy);
    this.run = runSystem(this.system, []);
  }

  get events(): readonly Event[] {
    return this.run.events;
  }

  get trace(): readonly TraceStep[] {
    return this.run.trace;
  }

  /** Every node's state now (a down node's as it was when it crashed). */
  get nodes(): readonly LeaderFollowerNode[] {
    return this.run.nodes.map((n) => n.state as LeaderFollowerNode);
  }

  /** Every node as the world holds it: up or down, and its state. */
  get views(): readonly NodeView<LeaderFollowerNode>[] {
    return this.run.nodes as readonly NodeView<LeaderFollowerNode>[];
  }

  /** What the monitor found over the whole run so far. */
  get violations(): SystemRun['violations'] {
    return this.run.violations;
  }

  /** The messages in flight now, in the world's order (what a `pick` indexes), from the trace. */
  get inFlight(): readonly MessageNote[] {
    const flying: MessageNote[] = [];
    for (const step of this.run.trace) {
      for (const m of step.sent) flying.push(m);
      for (const m of [...step.delivered, ...step.dropped]) {
        const at = flying.findIndex((f) => f.id === m.id);
        if (at >= 0) flying.splice(at, 1);
      }
    }
    return flying;
  }

  /** Delivers (or drops) the oldest message in flight that matches, e.g. `{ kind: 'append', to: 'n3' }`; throws when none does. */
  deliver(match: Partial<MessageNote>, how: 'deliver' | 'drop' = 'deliver'): this {
    const pick = this.inFlight.findIndex((m) => Object.entries(match).every(([k, v]) => m[k as keyof MessageNote] === v));
    if (pick < 0) throw new Error(`no message in flight matches ${JSON.stringify(match)}: ${JSON.stringify(this.inFlight)}`);
    return this.do({ kind: how, pick });
  }

  /** Drops every message in flight that matches. */
  dropAll(match: Partial<MessageNote>): this {
    while (this.inFlight.some((m) => Object.entries(match).every(([k, v]) => m[k as keyof MessageNote] === v))) this.deliver(match, 'drop');
    return this;
  }

  do(...actions: Action[]): this {
    this.schedule.push(...actions);
    this.run = runSystem(this.system, this.schedule, { finale: this.ended });
    return this;
  }

  /** Delivers the oldest message in flight until none is left (bounded: replies beget requests). */
  drain(limit = 200): this {
    for (let i = 0; i < limit; i++) {
      this.do({ kind: 'deliver', pick: 0 });
      if (this.run.trace.at(-1)?.noop === 'no message in flight') {
        this.schedule.pop();
        this.run = runSystem(this.system, this.schedule, { finale: this.ended });
        break;
      }
    }
    return this;
  }

  tick(node: number, count = 1): this {
    for (let i = 0; i < count; i++) this.do({ kind: 'tick', node });
    return this;
  }

  /** Ticks node `node`, draining after each tick, until it leads (or `limit` ticks pass). */
  elect(node: number, limit = 20): this {
    for (let i = 0; i < limit && this.nodes[node]!.role !== 'leader'; i++) this.tick(node).drain();
    return this;
  }

  write(client: number, key: number, node?: number): this {
    return this.do({ kind: 'invoke', client, f: 'write', key, ...(node !== undefined && { node }) });
  }

  read(client: number, key: number, node?: number): this {
    return this.do({ kind: 'invoke', client, f: 'read', key, ...(node !== undefined && { node }) });
  }

  /** The world's finale after the schedule: heal, restart, settle, read every key. */
  finale(): this {
    this.ended = true;
    this.run = runSystem(this.system, this.schedule, { finale: true });
    return this;
  }
}
