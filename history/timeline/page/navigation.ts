// Moving the view ({timeMode, u0, u1, scrollY}) over the history: fitting, zooming about a point,
// panning, going to a finding, switching axes. Each changes `view` in place.

import type { Frame, View } from './frame.ts';
import { domainOf, LANE_HEIGHT, timesOf } from './frame.ts';
import type { TimelineModel } from './history-model.ts';
import type { Lanes } from './lanes.ts';

export function fitView(model: TimelineModel, view: View): void {
  [view.u0, view.u1] = domainOf(model, view.timeMode);
  view.scrollY = 0;
}

export function zoomView(model: TimelineModel, view: View, u: number, factor: number): void {
  const [lo, hi] = domainOf(model, view.timeMode);
  const narrowest = view.timeMode ? (hi - lo) / 1e7 : 4;
  const span = Math.min(Math.max((view.u1 - view.u0) * factor, narrowest), (hi - lo) * 1.2);
  const ratio = (u - view.u0) / (view.u1 - view.u0);
  view.u0 = u - ratio * span;
  view.u1 = view.u0 + span;
  clampView(model, view);
}

export function panView(model: TimelineModel, view: View, du: number): void {
  view.u0 += du;
  view.u1 += du;
  clampView(model, view);
}

/** The view may overhang the history by a tenth of its width, no more. */
function clampView(model: TimelineModel, view: View): void {
  const [lo, hi] = domainOf(model, view.timeMode);
  const span = view.u1 - view.u0;
  const margin = span * 0.1;
  if (view.u0 < lo - margin) [view.u0, view.u1] = [lo - margin, lo - margin + span];
  if (view.u1 > hi + margin) [view.u0, view.u1] = [hi + margin - span, hi + margin];
}

/** Zooms to the operations `ids` and events `events` with some room around, and scrolls their lanes into view. */
export function focusView(
  model: TimelineModel,
  view: View,
  frame: Frame,
  lanes: Lanes,
  ids: readonly number[],
  events: readonly number[],
): void {
  let lo = Infinity;
  let hi = -Infinity;
  let top = Infinity;
  let bottom = -Infinity;
  for (const event of events) {
    lo = Math.min(lo, frame.startOf(event));
    hi = Math.max(hi, frame.endOf(event));
  }
  for (const id of ids) {
    lo = Math.min(lo, frame.opStart(id));
    hi = Math.max(hi, frame.opEnd(id));
    top = Math.min(top, lanes.laneOf[id]);
    bottom = Math.max(bottom, lanes.laneOf[id]);
  }
  const [start, end] = domainOf(model, view.timeMode);
  const pad = Math.max((hi - lo) * 0.35, view.timeMode ? (end - start) / 1e4 : 6);
  view.u0 = lo - pad;
  view.u1 = hi + pad;
  if (ids.length === 0) return;
  const room = frame.bottom - frame.laneTop;
  const middle = ((top + bottom + 1) / 2) * LANE_HEIGHT;
  view.scrollY = Math.min(top * LANE_HEIGHT, middle - room / 2);
}

/** Switches between the event and time axes, keeping the same stretch of history in view. */
export function switchAxis(model: TimelineModel, view: View, timeMode: boolean): void {
  const from = eventAt(model, view, view.u0);
  const to = eventAt(model, view, view.u1);
  view.timeMode = timeMode;
  view.u0 = timeMode ? timesOf(model)[from] : from;
  view.u1 = Math.max(timeMode ? timesOf(model)[to] : to + 1, view.u0 + 1);
}

/** The event at axis position u, clamped to the history. */
function eventAt(model: TimelineModel, view: View, u: number): number {
  const { eventCount } = model;
  if (!view.timeMode) return Math.max(0, Math.min(eventCount - 1, Math.floor(u)));
  const times = timesOf(model);
  let low = 0;
  let high = eventCount - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (times[mid] < u) low = mid + 1;
    else high = mid;
  }
  return low;
}
