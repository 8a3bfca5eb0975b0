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
  | { readonly open: Action; readonly close: Action; readonly span: number | null };

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
    actions.push(unit.open);
    if (unit.span !== null) closing.push({ at: i + 1 + unit.span, action: unit.close });
  }
  for (const due of closing) if (due.at === units.length) actions.push(due.action);
  return actions;
}
