import type { Event } from '../../history/event.ts';
import type { Action } from '../world/action.ts';
import type { FinaleOptions } from './finale.ts';
import { finale } from './finale.ts';
import type { Policy } from './policy.ts';
import type { State } from './state.ts';
import { initialState } from './state.ts';
import type { StepResult } from './step.ts';
import { roleEvent, step } from './step.ts';

/**
 * A hand-written scenario, built a step at a time with the conveniences a story needs (deliver
 * everything, tick until an election, ...). Every convenience is expanded into plain actions as it
 * runs, so `schedule` is a schedule that runSchedule replays to the same history.
 */
export class Scenario {
  state: State;
  readonly events: Event[] = [];
  readonly schedule: Action[] = [];

  constructor(policy: Policy) {
    this.state = initialState(policy);
    for (const node of this.state.nodes) this.events.push(roleEvent(node, 0));
  }

  do(...actions: Action[]): this {
    for (const action of actions) this.apply(action);
    return this;
  }

  /** Delivers the oldest message in flight until none is left (bounded: replies beget requests). */
  drain(limit = 200): this {
    for (let i = 0; i < limit && this.state.network.inFlight.length > 0; i++) this.apply({ kind: 'deliver', pick: 0 });
    return this;
  }

  /** Ticks node `node` `count` times. */
  tick(node: number, count = 1): this {
    for (let i = 0; i < count; i++) this.apply({ kind: 'tick', node });
    return this;
  }

  /** Ticks node `node`, draining after each tick, until it leads (or `limit` ticks pass). */
  elect(node: number, limit = 20): this {
    for (let i = 0; i < limit && this.state.nodes[node].role !== 'leader'; i++) this.tick(node).drain();
    return this;
  }

  /** Client `client` writes to `key`, optionally at a chosen node. */
  write(client: number, key: number, node?: number): this {
    return this.do({ kind: 'invoke', client, f: 'write', key, ...(node !== undefined && { node }) });
  }

  read(client: number, key: number, node?: number): this {
    return this.do({ kind: 'invoke', client, f: 'read', key, ...(node !== undefined && { node }) });
  }

  /** The runner's finale: heal, restart, settle, read every key. */
  finale(options?: FinaleOptions): this {
    this.state = finale(this.state, (action) => this.apply(action), options);
    return this;
  }

  private apply(action: Action): StepResult {
    const result = step(this.state, action);
    this.state = result.state;
    this.schedule.push(action);
    this.events.push(...result.events);
    return result;
  }
}
