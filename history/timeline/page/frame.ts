// Where everything goes for one view of the history: the layout of the rows and the mapping between
// history positions and pixels. On the event axis event i occupies [i, i+1), so an op spans from its
// invocation's cell to its completion's and real-time order is exactly left-to-right order; on the time
// axis an event is a point.
import type { TimelineModel } from './history-model.ts';
import type { LaneMode, Lanes } from './lanes.ts';

export const LANE_HEIGHT = 22;
export const BAR_HEIGHT = 14;
export const NODE_HEIGHT = 22;
export const AXIS_HEIGHT = 24;
export const FAULT_ROW_HEIGHT = 20;
export const SECTION_GAP = 10;

/** The visible stretch of the axis (u0 to u1, event positions or times) and how far the lanes are scrolled. */
export interface View {
  timeMode: boolean;
  laneMode: LaneMode;
  u0: number;
  u1: number;
  scrollY: number;
}

export type Frame = ReturnType<typeof frameOf>;

/**
 * Each event's time, for the time axis: only a history with times offers it (the page disables the
 * switch otherwise), so in time mode `model.times` is never null.
 */
export function timesOf(model: Pick<TimelineModel, 'times'>): Float64Array {
  return model.times as Float64Array;
}

/** The whole history's extent on an axis. */
export function domainOf(model: Pick<TimelineModel, 'times' | 'eventCount'>, timeMode: boolean): [number, number] {
  const { eventCount } = model;
  if (!timeMode) return [0, Math.max(eventCount, 1)];
  const times = timesOf(model);
  const first = times[0];
  const last = times[eventCount - 1];
  return [first, last > first ? last : first + 1];
}

/**
 * The frame for `view` ({timeMode, u0, u1, scrollY}: the visible stretch of the axis and how far the
 * lanes are scrolled) on a canvas of `width` by `height` CSS pixels, with lane labels `labelWidth` wide.
 */
export function frameOf(model: TimelineModel, view: View, lanes: Lanes, width: number, height: number, labelWidth: number) {
  const { ops, eventCount, faults, nodes } = model;
  const times = timesOf(model);
  const startOf = (event: number) => (view.timeMode ? times[event] : event);
  const endOf = (event: number) => (view.timeMode ? times[event] : event + 1);
  const domainEnd = domainOf(model, view.timeMode)[1];
  const faultRow = faults.at.length > 0 ? FAULT_ROW_HEIGHT : 0;
  const nodeTop = AXIS_HEIGHT + faultRow;
  const laneTop = nodeTop + nodes.length * NODE_HEIGHT + (nodes.length > 0 ? SECTION_GAP : 4);
  const left = Math.ceil(Math.min(Math.max(labelWidth + 20, 56), 180));
  const right = width - 12;
  const bottom = height;
  const xOf = (u: number) => left + ((u - view.u0) / (view.u1 - view.u0)) * (right - left);
  const opStart = (id: number) => startOf(ops.invoke[id]);
  const opEnd = (id: number) => (ops.complete[id] < 0 ? endOf(ops.invoke[id]) : endOf(ops.complete[id]));
  const laneY = (index: number) => laneTop + index * LANE_HEIGHT - view.scrollY;
  return {
    width,
    height,
    faultRow,
    nodeTop,
    laneTop,
    left,
    right,
    bottom,
    domainEnd,
    startOf,
    endOf,
    opStart,
    opEnd,
    xOf,
    laneY,
    uOf: (x: number) => view.u0 + ((x - left) / (right - left)) * (view.u1 - view.u0),
    /** Pixels per unit of the axis, inverted: how much axis a few pixels cover. */
    unitsPer: (pixels: number) => (pixels / (right - left)) * (view.u1 - view.u0),
    /** Role segments end where the node's next annotation is; served segments at their last completion. */
    segmentEnd: (event: number, source: 'roles' | 'ops') =>
      event >= eventCount ? domainEnd : source === 'ops' ? endOf(event) : startOf(event),
    faultX: (i: number) => (view.timeMode ? times[faults.at[i]] : faults.at[i] + 0.5),
    maxScroll: () => Math.max(0, lanes.list.length * LANE_HEIGHT - (bottom - laneTop) + 6),
    visibleLanes: (): [number, number] => [
      Math.max(0, Math.floor(view.scrollY / LANE_HEIGHT)),
      Math.min(lanes.list.length - 1, Math.floor((view.scrollY + bottom - laneTop) / LANE_HEIGHT)),
    ],
    /** An op's bar: left edge, width (at least 1.5 px so that none vanishes) and top. */
    bar: (id: number) => {
      const x = xOf(opStart(id));
      return { x, w: Math.max(xOf(opEnd(id)) - x, 1.5), y: laneY(lanes.laneOf[id]) + (LANE_HEIGHT - BAR_HEIGHT) / 2 };
    },
  };
}

/**
 * The first index whose end reaches u0 and the index after the last whose start is before u1, in a
 * list whose ends and starts both ascend (a lane's bars, the fault markers).
 */
export function visibleRange(
  count: number,
  end: (index: number) => number,
  u0: number,
  u1: number,
  start: (index: number) => number = end,
): [number, number] {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (end(mid) < u0) lo = mid + 1;
    else hi = mid;
  }
  let stop = lo;
  let top = count;
  while (stop < top) {
    const mid = (stop + top) >> 1;
    if (start(mid) <= u1) stop = mid + 1;
    else top = mid;
  }
  return [lo, stop];
}

/** Round numbers along the visible stretch of the axis, about one per 110 pixels. */
export function axisTicks(model: TimelineModel, view: View, frame: Frame): number[] {
  const span = view.u1 - view.u0;
  const raw = span / Math.max(2, Math.floor((frame.right - frame.left) / 110));
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const unit = view.timeMode ? step : Math.max(1, Math.round(step));
  const origin = view.timeMode ? timesOf(model)[0] : 0;
  const [lo, hi] = domainOf(model, view.timeMode);
  const ticks: number[] = [];
  const first = origin + Math.ceil((Math.max(view.u0, lo) - origin) / unit) * unit;
  for (let tick = first; tick <= Math.min(view.u1, hi); tick += unit) ticks.push(tick);
  return ticks;
}
