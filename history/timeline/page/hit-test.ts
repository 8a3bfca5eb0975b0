// What is under the cursor: an operation (a binary search in the lane under it), fault markers, or a
// node's role segment.

import type { Frame, View } from './frame.ts';
import { AXIS_HEIGHT, LANE_HEIGHT, NODE_HEIGHT, visibleRange } from './frame.ts';
import type { TimelineModel } from './history-model.ts';
import { INFO } from './history-model.ts';
import type { Lane, Lanes } from './lanes.ts';

/** An op's id; the indices of fault markers; or a node's row and the offset of its segment in `segments`. */
export type Hit = { readonly op: number } | { readonly faults: readonly number[] } | { readonly node: number; readonly segment: number };

export function hitTest(model: TimelineModel, view: View, lanes: Lanes, frame: Frame, x: number, y: number): Hit | null {
  if (x < frame.left || x > frame.right || y < AXIS_HEIGHT) return null;
  const u = frame.uOf(x);
  const slack = frame.unitsPer(3);
  if (y < AXIS_HEIGHT + frame.faultRow) return hitFaults(model, frame, u, slack);
  if (y < frame.nodeTop + model.nodes.length * NODE_HEIGHT) return hitNode(model, frame, Math.floor((y - frame.nodeTop) / NODE_HEIGHT), u);
  if (y < frame.laneTop) return null;
  const lane = lanes.list[Math.floor((y - frame.laneTop + view.scrollY) / LANE_HEIGHT)];
  if (!lane) return hitFaults(model, frame, u, slack);
  return hitOp(model, frame, lane, u, slack) ?? hitFaults(model, frame, u, slack);
}

function hitOp(model: TimelineModel, frame: Frame, lane: Lane, u: number, slack: number): Hit | null {
  const ids = lane.ids;
  const [from, to] = visibleRange(
    ids.length,
    (k) => frame.opEnd(ids[k]),
    u - slack,
    u + slack,
    (k) => frame.opStart(ids[k]),
  );
  let best: number | null = null;
  let bestDistance = Infinity;
  for (let k = from; k < to; k++) {
    const distance = Math.max(0, frame.opStart(ids[k]) - u, u - frame.opEnd(ids[k]));
    if (distance < bestDistance) {
      best = ids[k];
      bestDistance = distance;
    }
  }
  if (best !== null) return { op: best };
  // Between the bars: the latest indeterminate op whose tail runs here.
  if (lane.tailFrom < 0 || u < frame.opEnd(lane.tailFrom)) return null;
  for (let k = ids.length - 1; k >= 0; k--) {
    if (model.ops.result[ids[k]] === INFO && frame.opEnd(ids[k]) <= u) return { op: ids[k] };
  }
  return null;
}

function hitFaults(model: TimelineModel, frame: Frame, u: number, slack: number): Hit | null {
  const [from, to] = visibleRange(model.faults.at.length, frame.faultX, u - slack, u + slack);
  if (from >= to) return null;
  const faults: number[] = [];
  for (let i = from; i < to; i++) faults.push(i);
  return { faults };
}

/** The latest-starting segment covering u (served segments of one node may overlap). */
function hitNode(model: TimelineModel, frame: Frame, index: number, u: number): Hit | null {
  const node = model.nodes[index];
  if (!node) return null;
  let segment = -1;
  for (let k = 0; k < node.segments.length; k += 4) {
    if (frame.startOf(node.segments[k]) <= u && u <= frame.segmentEnd(node.segments[k + 1], node.source)) segment = k;
  }
  return segment < 0 ? null : { node: index, segment };
}
