// Where everything goes for one view of the history: the layout of the rows and the mapping between
// history positions and pixels. On the event axis event i occupies [i, i+1), so an op spans from its
// invocation's cell to its completion's and real-time order is exactly left-to-right order; on the time
// axis an event is a point.

const LANE_HEIGHT = 22;
const BAR_HEIGHT = 14;
const NODE_HEIGHT = 22;
const AXIS_HEIGHT = 24;
const FAULT_ROW_HEIGHT = 20;
const SECTION_GAP = 10;

/** The whole history's extent on an axis. */
function domainOf({ times, eventCount }, timeMode) {
  if (!timeMode) return [0, Math.max(eventCount, 1)];
  const first = times[0];
  const last = times[eventCount - 1];
  return [first, last > first ? last : first + 1];
}

/**
 * The frame for `view` ({timeMode, u0, u1, scrollY}: the visible stretch of the axis and how far the
 * lanes are scrolled) on a canvas of `width` by `height` CSS pixels, with lane labels `labelWidth` wide.
 */
function frameOf(model, view, lanes, width, height, labelWidth) {
  const { ops, times, eventCount, faults, nodes } = model;
  const startOf = (event) => (view.timeMode ? times[event] : event);
  const endOf = (event) => (view.timeMode ? times[event] : event + 1);
  const domainEnd = domainOf(model, view.timeMode)[1];
  const faultRow = faults.at.length > 0 ? FAULT_ROW_HEIGHT : 0;
  const nodeTop = AXIS_HEIGHT + faultRow;
  const laneTop = nodeTop + nodes.length * NODE_HEIGHT + (nodes.length > 0 ? SECTION_GAP : 4);
  const left = Math.ceil(Math.min(Math.max(labelWidth + 20, 56), 180));
  const right = width - 12;
  const bottom = height;
  const xOf = (u) => left + ((u - view.u0) / (view.u1 - view.u0)) * (right - left);
  const opStart = (id) => startOf(ops.invoke[id]);
  const opEnd = (id) => (ops.complete[id] < 0 ? endOf(ops.invoke[id]) : endOf(ops.complete[id]));
  const laneY = (index) => laneTop + index * LANE_HEIGHT - view.scrollY;
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
    uOf: (x) => view.u0 + ((x - left) / (right - left)) * (view.u1 - view.u0),
    /** Pixels per unit of the axis, inverted: how much axis a few pixels cover. */
    unitsPer: (pixels) => (pixels / (right - left)) * (view.u1 - view.u0),
    /** Role segments end where the node's next annotation is; served segments at their last completion. */
    segmentEnd: (event, source) => (event >= eventCount ? domainEnd : source === 'ops' ? endOf(event) : startOf(event)),
    faultX: (i) => (view.timeMode ? times[faults.at[i]] : faults.at[i] + 0.5),
    maxScroll: () => Math.max(0, lanes.list.length * LANE_HEIGHT - (bottom - laneTop) + 6),
    visibleLanes: () => [
      Math.max(0, Math.floor(view.scrollY / LANE_HEIGHT)),
      Math.min(lanes.list.length - 1, Math.floor((view.scrollY + bottom - laneTop) / LANE_HEIGHT)),
    ],
    /** An op's bar: left edge, width (at least 1.5 px so that none vanishes) and top. */
    bar: (id) => {
      const x = xOf(opStart(id));
      return { x, w: Math.max(xOf(opEnd(id)) - x, 1.5), y: laneY(lanes.laneOf[id]) + (LANE_HEIGHT - BAR_HEIGHT) / 2 };
    },
  };
}

/**
 * The first index whose end reaches u0 and the index after the last whose start is before u1, in a
 * list whose ends and starts both ascend (a lane's bars, the fault markers).
 */
function visibleRange(count, end, u0, u1, start = end) {
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
function axisTicks(model, view, frame) {
  const span = view.u1 - view.u0;
  const raw = span / Math.max(2, Math.floor((frame.right - frame.left) / 110));
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const unit = view.timeMode ? step : Math.max(1, Math.round(step));
  const origin = view.timeMode ? model.times[0] : 0;
  const [lo, hi] = domainOf(model, view.timeMode);
  const ticks = [];
  const first = origin + Math.ceil((Math.max(view.u0, lo) - origin) / unit) * unit;
  for (let tick = first; tick <= Math.min(view.u1, hi); tick += unit) ticks.push(tick);
  return ticks;
}
