import type { Event } from '../../history/event.ts';
import type { Action } from '../world/action.ts';
import type { SystemRun } from '../world/run-system.ts';
import { runSystem } from '../world/run-system.ts';
import type { NodeView } from '../world/system.ts';
import type { TraceStep } from '../world/trace.ts';
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
