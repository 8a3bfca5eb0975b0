import type { Action } from '../../models/index.ts';

// What a schedule is generated (and shrunk) as: a list of units, each a few actions that belong
// together (one action, or a node's clock ticking on) or a fault window (a fault and the action that
// ends it). Shrinking removes whole units, so a crash goes with its restart and a partition with its
// heal: no shrunk schedule restarts a node that never crashed or loses a heal by accident.

export type ScheduleUnit =
  | { readonly steps: readonly Action[] }
  /**
   * `open` now, `close` after `span` more units (at the end, when that is where the span ends). A null
   * span, or one reaching past the end, leaves the fault in place until the finale ends every fault.
   */
  | {
      readonly open: Action;
      readonly close: Action;
      readonly span: number | null;
      /** Actions that set the fault up, just before `open` (a write the leader appends before it crashes). */
      readonly before?: readonly Action[];
      /** Actions just after `open`, inside the window (a write sent while a follower is cut off). */
      readonly after?: readonly Action[];
    };

/** The actions the units stand for, in order; a window's close comes before the unit it precedes. */
export function flattenUnits(units: readonly ScheduleUnit[]): Action[] {
  const actions: Action[] = [];
  const closing: { readonly at: number; readonly action: Action }[] = [];
  for (let i = 0; i < units.length; i++) {
    for (const due of closing) if (due.at === i) actions.push(due.action);
    const unit = units[i];
    if ('steps' in unit) {
      for (const action of unit.steps) actions.push(action);
      continue;
    }
    for (const action of unit.before ?? []) actions.push(action);
    actions.push(unit.open);
    for (const action of unit.after ?? []) actions.push(action);
    if (unit.span !== null) closing.push({ at: i + 1 + unit.span, action: unit.close });
  }
  for (const due of closing) if (due.at === units.length) actions.push(due.action);
  return actions;
}

/**
 * A unit of several actions as one unit per action, standing for the same actions: shrinking splits a
 * deep unit once removing whole units gets no further, so the steps it did not need can go. A window
 * keeps its fault and its end together; its set-up actions and those inside it become units of their
 * own (the span grows by those inside, so the window still ends where it did).
 */
export function splitUnit(unit: ScheduleUnit): ScheduleUnit[] | null {
  const single = (action: Action): ScheduleUnit => ({ steps: [action] });
  if ('steps' in unit) return unit.steps.length > 1 ? unit.steps.map(single) : null;
  const before = unit.before ?? [];
  const after = unit.after ?? [];
  if (before.length === 0 && after.length === 0) return null;
  const window: ScheduleUnit = { open: unit.open, close: unit.close, span: unit.span === null ? null : unit.span + after.length };
  return [...before.map(single), window, ...after.map(single)];
}

/** Simpler forms of a one-action unit split from a deep one: each choice in it one lower, or 0; a directed operation sent to the believed leader. */
export function simplifyUnit(unit: ScheduleUnit): ScheduleUnit[] {
  if (!('steps' in unit) || unit.steps.length !== 1) return [];
  const action = unit.steps[0] as Record<string, unknown>;
  const simpler: Record<string, unknown>[] = [];
  if (action.kind === 'invoke' && action.node !== undefined) {
    const { node: _node, ...believed } = action;
    simpler.push(believed);
  }
  for (const [field, value] of Object.entries(action)) {
    if (typeof value !== 'number' || value <= 0) continue;
    simpler.push({ ...action, [field]: 0 });
    if (value > 1) simpler.push({ ...action, [field]: value - 1 });
  }
  return simpler.map((a) => ({ steps: [a as Action] }));
}
