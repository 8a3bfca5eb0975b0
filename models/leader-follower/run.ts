import type { Event } from '../../history/event.ts';
import type { Action, Schedule } from '../world/action.ts';
import type { FinaleOptions } from './finale.ts';
import { finale } from './finale.ts';
import type { InvariantViolation } from './invariants.ts';
import { checkInvariants } from './invariants.ts';
import type { Policy } from './policy.ts';
import type { State } from './state.ts';
import { initialState, nodeName } from './state.ts';
import type { StepResult } from './step.ts';
import { roleEvent, step } from './step.ts';
import type { TraceStep } from '../world/trace.ts';
import { traceStep } from './trace.ts';

// The runner: a schedule through a policy, giving the history a checker reads and the trace an
// explanation reads. Pure and deterministic: the same policy and schedule give the same bytes.

export interface RunOptions {
  /** After the schedule: heal, restart, settle and read every key (see finale.ts). Default: off. */
  readonly finale?: boolean | FinaleOptions;
  /** Record a TraceStep per step. Default: on. */
  readonly trace?: boolean;
  /** When to check the invariants: after every step, once at the end, or never. Default: end. */
  readonly invariants?: 'every-step' | 'end' | 'off';
}

/** A violation with the logical time it was first seen. */
export interface StepViolation extends InvariantViolation {
  readonly time: number;
}

export interface RunResult {
  /** The history: role annotations at time 0, then every step's events; ops left pending end as info. */
  readonly events: Event[];
  readonly trace: TraceStep[];
  /** The state after the last step. */
  readonly state: State;
  /** Each distinct violation once, at the first time it was seen. */
  readonly violations: StepViolation[];
  /** The actions the finale took, after the schedule's (empty without a finale). */
  readonly finale: Action[];
}

export function runSchedule(policy: Policy, schedule: Schedule, options: RunOptions = {}): RunResult {
  const start = initialState(policy);
  const annotations = start.nodes.map((n) => roleEvent(n, start.time));
  const result = runFrom(start, schedule, options);
  return { ...result, events: [...annotations, ...result.events] };
}

/** Runs a schedule from any state (the history then holds only what happened from there). */
export function runFrom(start: State, schedule: Schedule, options: RunOptions = {}): RunResult {
  const tracing = options.trace !== false;
  const everyStep = options.invariants === 'every-step';
  const events: Event[] = [];
  const trace: TraceStep[] = [];
  const violations: StepViolation[] = [];
  const seen = new Set<string>();
  const finaleActions: Action[] = [];
  let state = start;

  const note = (found: readonly InvariantViolation[]) => {
    for (const v of found) {
      const key = `${v.kind}|${v.nodes.join()}|${v.epoch}|${v.index}`;
      if (seen.has(key)) continue;
      seen.add(key);
      violations.push({ ...v, time: state.time });
    }
  };
  const apply = (action: Action): StepResult => {
    const result = step(state, action);
    state = result.state;
    for (const e of result.events) events.push(e);
    if (tracing) trace.push(traceStep(action, result));
    if (everyStep) note(checkInvariants(state));
    return result;
  };

  for (const action of schedule) apply(action);
  if (options.finale) {
    finale(state, (action) => {
      finaleActions.push(action);
      return apply(action);
    }, options.finale === true ? {} : options.finale);
  }
  if (options.invariants !== 'off' && !everyStep) note(checkInvariants(state));
  events.push(...pendingAsInfo(state));
  return { events, trace, state, violations, finale: finaleActions };
}

/** An operation still pending when the run stops may or may not have taken effect: info. */
function pendingAsInfo(state: State): Event[] {
  const out: Event[] = [];
  state.clients.forEach((client, c) => {
    const op = client.pending;
    if (op === null) return;
    out.push({ type: 'info', process: c, f: op.f, key: op.key, value: op.value, time: state.time, node: nodeName(op.node), error: 'pending at end' });
  });
  return out;
}
