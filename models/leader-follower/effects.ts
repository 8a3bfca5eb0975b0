import type { Event } from '../../history/event.ts';
import type { Value } from '../../history/value.ts';
import type { Message } from './message.ts';

/**
 * What one step did besides changing the state, gathered as its transitions run. step() makes a fresh
 * one per call, so filling it in place keeps the step pure while sparing a copy per transition.
 */
export interface Effects {
  /** Nemesis events: faults and operator actions, in the order they happened. */
  readonly faults: Event[];
  /** Client events: invocations and completions. */
  readonly events: Event[];
  readonly sent: Message[];
  readonly delivered: Message[];
  readonly dropped: Message[];
  /** Why the action changed nothing, when it did not apply. */
  noop: string | null;
}

export function newEffects(): Effects {
  return { faults: [], events: [], sent: [], delivered: [], dropped: [], noop: null };
}

export function fault(fx: Effects, time: number, f: string, value: Value, node?: string): void {
  fx.faults.push(node === undefined ? { type: 'info', process: 'nemesis', f, value, time } : { type: 'info', process: 'nemesis', f, value, node, time });
}

export function noop<S>(fx: Effects, state: S, reason: string): S {
  fx.noop = reason;
  return state;
}
