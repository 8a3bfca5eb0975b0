// Drawing one frame on the canvas. A canvas rather than SVG because a history can hold a million
// operations: as SVG that is a million DOM nodes and a browser that stops answering; on a canvas only
// what is on screen is drawn, and bars narrower than a pixel merge into runs.
//
// Every function here takes the 2D context `c` and the scene `s`: {model, view, lanes, frame, selection,
// palette, hover, drawn}, where `drawn` counts what the frame drew (the page publishes it).
import { formatDuration } from './format.ts';
import type { Frame, View } from './frame.ts';
import {
  AXIS_HEIGHT,
  axisTicks,
  BAR_HEIGHT,
  FAULT_ROW_HEIGHT,
  LANE_HEIGHT,
  NODE_HEIGHT,
  SECTION_GAP,
  timesOf,
  visibleRange,
} from './frame.ts';
import type { NodeRow, TimelineModel } from './history-model.ts';
import { FAIL, INFO, OK } from './history-model.ts';
import type { Hit } from './hit-test.ts';
import type { Lanes } from './lanes.ts';
import type { Selection } from './selection.ts';

type Palette = ReturnType<typeof readPalette>;

/** What a frame drew: the page publishes it, for tests and for anyone scripting the page. */
export interface Drawn {
  lanes: number;
  bars: number;
  highlighted: number[];
  highlightedEvents: number[];
  faults: number;
  nodeSegments: number;
}

export interface Scene {
  readonly model: TimelineModel;
  readonly view: View;
  readonly lanes: Lanes;
  readonly frame: Frame;
  readonly selection: Selection;
  readonly palette: Palette;
  readonly hover: Hit | null;
  readonly drawn: Drawn;
}

type Context = CanvasRenderingContext2D;

interface HighlightedBar {
  readonly id: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly selected: boolean;
}

export const LABEL_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const SMALL_FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** The colours, from the page's CSS variables: the palette lives in timeline.css alone. */
export function readPalette() {
  const css = getComputedStyle(document.documentElement);
  const colour = (name: string) => css.getPropertyValue(`--${name}`).trim();
  return {
    fill: [colour('ok'), colour('fail'), colour('info')],
    edge: [colour('ok-edge'), colour('fail-edge'), colour('info-edge')],
    highlight: colour('highlight'),
    halo: colour('highlight-halo'),
    fault: colour('fault'),
    roles: { leader: colour('leader'), follower: colour('follower'), candidate: colour('candidate'), down: colour('down') } as Readonly<
      Record<string, string>
    >,
    otherRole: colour('other-role'),
    served: colour('served'),
    ink: colour('ink'),
    muted: colour('muted'),
    grid: colour('grid'),
    stripe: colour('stripe'),
    panel: colour('panel'),
    border: colour('border'),
  };
}

export function drawTimeline(c: Context, s: Scene): void {
  const { frame, palette } = s;
  c.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0);
  c.fillStyle = palette.panel;
  c.fillRect(0, 0, frame.width, frame.height);
  const ticks = axisTicks(s.model, s.view, frame);
  drawGrid(c, s, ticks);
  drawStripes(c, s);
  drawFaults(c, s);
  drawNodes(c, s);
  c.save();
  c.beginPath();
  c.rect(frame.left, frame.laneTop, frame.right - frame.left, frame.bottom - frame.laneTop);
  c.clip();
  const highlighted = highlightedBars(s);
  drawHalos(c, s, highlighted);
  drawTails(c, s);
  drawBars(c, s);
  drawOutlines(c, s, highlighted);
  drawProofPath(c, s);
  c.restore();
  drawGutter(c, s);
  drawScrollbar(c, s);
  drawAxis(c, s, ticks);
}

function isDimmed(s: Scene, id: number): boolean {
  const { ops, prefixRank } = s.selection;
  return ops !== null && !ops.has(id) && !prefixRank.has(id);
}

function drawGrid(c: Context, { frame, palette }: Scene, ticks: readonly number[]): void {
  c.strokeStyle = palette.grid;
  c.lineWidth = 1;
  c.beginPath();
  for (const tick of ticks) {
    const x = Math.round(frame.xOf(tick)) + 0.5;
    c.moveTo(x, AXIS_HEIGHT);
    c.lineTo(x, frame.bottom);
  }
  c.stroke();
}

function drawStripes(c: Context, { frame, palette, model, lanes }: Scene): void {
  const [first, last] = frame.visibleLanes();
  c.fillStyle = palette.stripe;
  for (let index = first; index <= last; index++) {
    if (index % 2 === 1) c.fillRect(frame.left, frame.laneY(index), frame.right - frame.left, LANE_HEIGHT);
  }
  for (let index = 1; index < model.nodes.length; index += 2) {
    c.fillRect(frame.left, frame.nodeTop + index * NODE_HEIGHT, frame.right - frame.left, NODE_HEIGHT);
  }
  // Lanes per key and process: a rule where one key's lanes end and the next's begin.
  c.fillStyle = palette.border;
  for (let index = Math.max(first, 1); index <= last; index++) {
    if (lanes.list[index].key !== lanes.list[index - 1].key) c.fillRect(0, frame.laneY(index), frame.right, 1);
  }
}

// A fault is a vertical line through every lane, so what happened to the cluster lines up with what the
// clients saw. Labels that would collide are left out; hovering the line names them all.
function drawFaults(c: Context, s: Scene): void {
  const { frame, palette, view, model } = s;
  const { faults, text, findingsOfEvent } = model;
  const [from, to] = visibleRange(faults.at.length, frame.faultX, view.u0, view.u1);
  // Dense faults fade, so that zoomed out they shade the lanes rather than hide them.
  const density = ((to - from) * 8) / (frame.right - frame.left);
  const lineAlpha = density > 1 ? Math.max(0.12, 0.55 / density) : 0.55;
  let lastLineX = -Infinity;
  let labelEnd = -Infinity;
  c.font = SMALL_FONT;
  c.textBaseline = 'middle';
  for (let i = from; i < to; i++) {
    s.drawn.faults++;
    const x = Math.round(frame.xOf(frame.faultX(i))) + 0.5;
    if (x !== lastLineX) {
      c.strokeStyle = palette.fault;
      c.globalAlpha = lineAlpha;
      c.setLineDash([4, 3]);
      c.beginPath();
      c.moveTo(x, AXIS_HEIGHT + 2);
      c.lineTo(x, frame.bottom);
      c.stroke();
      c.setLineDash([]);
      c.globalAlpha = 1;
      lastLineX = x;
    }
    // A chip starts at its line, or ends there when the plot's edge is too close; measured only when
    // it could fit (zoomed out, thousands of faults share a few chips).
    const label = x - 1 > labelEnd ? text(faults.f[i]) : '';
    const chipWidth = label ? c.measureText(label).width + 10 : 0;
    const chipX = x + chipWidth > frame.right ? x + 1 - chipWidth : x - 1;
    if (label && chipX > labelEnd && chipX >= frame.left) {
      const top = AXIS_HEIGHT + 2;
      c.fillStyle = palette.fault;
      roundRect(c, chipX, top, chipWidth, FAULT_ROW_HEIGHT - 5, 3);
      c.fill();
      c.fillStyle = '#fff';
      c.fillText(label, chipX + 5, top + (FAULT_ROW_HEIGHT - 5) / 2 + 0.5);
      labelEnd = chipX + chipWidth + 4;
    }
    if (findingsOfEvent.has(faults.at[i])) outlineEvent(c, s, faults.at[i], x - 3, AXIS_HEIGHT + 1, 6, FAULT_ROW_HEIGHT - 3);
  }
}

function drawNodes(c: Context, s: Scene): void {
  const { frame, palette, view, model } = s;
  c.font = SMALL_FONT;
  c.textBaseline = 'middle';
  model.nodes.forEach((node, index) => {
    const y = frame.nodeTop + index * NODE_HEIGHT + 3;
    const h = NODE_HEIGHT - 6;
    const segments = node.segments;
    for (let k = 0; k < segments.length; k += 4) {
      const start = frame.startOf(segments[k]);
      const end = frame.segmentEnd(segments[k + 1], node.source);
      if (end < view.u0 || start > view.u1) continue;
      s.drawn.nodeSegments++;
      const x0 = Math.max(frame.xOf(start), frame.left - 2);
      const x1 = Math.min(frame.xOf(end), frame.right + 2);
      const role = model.text(segments[k + 2]);
      c.fillStyle = node.source === 'ops' ? palette.served : (palette.roles[role] ?? palette.otherRole);
      c.fillRect(x0, y, Math.max(x1 - x0, 1), h);
      if (role === 'down') hatch(c, x0, y, x1 - x0, h);
      const label = x1 - x0 > 30 ? segmentLabel(node, role, segments[k + 3]) : '';
      if (label && x1 - x0 > c.measureText(label).width + 10) {
        c.fillStyle = role === 'leader' ? '#fff' : palette.ink;
        c.fillText(label, x0 + 5, y + h / 2 + 0.5);
      }
      if (node.source === 'roles' && model.findingsOfEvent.has(segments[k])) {
        outlineEvent(c, s, segments[k], x0 - 1, y - 1, Math.max(x1 - x0, 1) + 2, h + 2);
      }
    }
  });
}

function segmentLabel(node: NodeRow, role: string, epoch: number): string {
  const shownEpoch = epoch >= 0 ? `epoch ${epoch}` : '';
  if (node.source === 'ops') return shownEpoch || 'acked';
  return shownEpoch ? `${role} · ${shownEpoch}` : role;
}

// A non-client event in a finding (the annotation that made a second leader) is outlined like an op,
// with a marker at its start.
function outlineEvent(c: Context, s: Scene, event: number, x: number, y: number, w: number, h: number): void {
  s.drawn.highlightedEvents.push(event);
  const selected = s.selection.events.has(event);
  c.globalAlpha = s.selection.index < 0 || selected ? 1 : 0.4;
  c.strokeStyle = '#fff';
  c.lineWidth = 1;
  c.strokeRect(x + 1.5, y + 1.5, w - 3, h - 3);
  c.strokeStyle = s.palette.highlight;
  c.lineWidth = selected ? 3 : 2;
  c.strokeRect(x, y, w, h);
  c.fillStyle = s.palette.highlight;
  c.beginPath();
  c.moveTo(x - 4, y - 3);
  c.lineTo(x + 4, y - 3);
  c.lineTo(x, y + 3);
  c.closePath();
  c.fill();
  c.globalAlpha = 1;
}

// An indeterminate op may take effect any time after its invocation: a dashed line to the end of the
// history. Every later one in the lane would draw over it, so a lane draws one, from its first.
function drawTails(c: Context, s: Scene): void {
  const { frame, lanes, palette } = s;
  const [first, last] = frame.visibleLanes();
  c.strokeStyle = palette.edge[INFO];
  c.lineWidth = 1;
  c.setLineDash([5, 4]);
  for (let index = first; index <= last; index++) {
    const from = lanes.list[index].tailFrom;
    if (from < 0) continue;
    const y = Math.round(frame.laneY(index) + LANE_HEIGHT / 2) + 0.5;
    c.globalAlpha = isDimmed(s, from) ? 0.2 : 0.6;
    c.beginPath();
    c.moveTo(Math.max(frame.xOf(frame.opEnd(from)), frame.left), y);
    c.lineTo(frame.right, y);
    c.stroke();
  }
  c.globalAlpha = 1;
  c.setLineDash([]);
}

// Bars under two pixels wide are counted per pixel column instead of drawn one by one: a column shows
// its mix of results as stacked bands (a result present gets at least one pixel, so a rare failure stays
// visible without looking common), and neighbouring columns of one result merge into one rectangle. At a
// million operations the zoomed-out picture costs a few thousand rectangles, not a million.
const STACK_ORDER = [OK, INFO, FAIL];

function drawBars(c: Context, s: Scene): void {
  const { frame, lanes, view, model } = s;
  const [first, last] = frame.visibleLanes();
  const columns = Math.max(1, Math.ceil(frame.right - frame.left));
  const counts = new Uint32Array(columns * 3);
  const lit = new Uint8Array(columns);
  c.font = SMALL_FONT;
  c.textBaseline = 'middle';
  for (let index = first; index <= last; index++) {
    s.drawn.lanes++;
    const ids = lanes.list[index].ids;
    const y = frame.laneY(index) + (LANE_HEIGHT - BAR_HEIGHT) / 2;
    const [from, to] = visibleRange(
      ids.length,
      (k) => frame.opEnd(ids[k]),
      view.u0,
      view.u1,
      (k) => frame.opStart(ids[k]),
    );
    counts.fill(0);
    lit.fill(0);
    let thin = false;
    for (let k = from; k < to; k++) {
      const id = ids[k];
      s.drawn.bars++;
      const x0 = frame.xOf(frame.opStart(id));
      const w = Math.max(frame.xOf(frame.opEnd(id)) - x0, 1.5);
      const dim = isDimmed(s, id);
      if (w >= 2) {
        drawBar(c, s, id, x0, y, w, dim);
        continue;
      }
      const column = Math.min(columns - 1, Math.max(0, Math.floor(x0 + w / 2 - frame.left)));
      counts[column * 3 + model.ops.result[id]]++;
      if (!dim) lit[column] = 1;
      thin = true;
    }
    if (thin) drawColumns(c, s, counts, lit, columns, y);
  }
}

/** Band heights summing to BAR_HEIGHT, proportional to the counts, at least 1 for any count above 0. */
function bandHeights(bandCounts: readonly number[], total: number): number[] {
  const heights = bandCounts.map((count) => (count === 0 ? 0 : Math.max(1, Math.round((BAR_HEIGHT * count) / total))));
  const largest = heights.indexOf(Math.max(...heights));
  heights[largest] += BAR_HEIGHT - heights.reduce((sum, h) => sum + h, 0);
  return heights;
}

function drawColumns(c: Context, s: Scene, counts: Uint32Array, lit: Uint8Array, columns: number, y: number): void {
  const left = s.frame.left;
  let runFrom = -1;
  let runKey = -1;
  const flush = (until: number) => {
    if (runFrom < 0) return;
    c.globalAlpha = runKey >= 3 ? 1 : 0.35;
    c.fillStyle = s.palette.fill[runKey % 3];
    c.fillRect(left + runFrom, y, until - runFrom, BAR_HEIGHT);
    runFrom = -1;
  };
  for (let column = 0; column < columns; column++) {
    const ok = counts[column * 3 + OK];
    const fail = counts[column * 3 + FAIL];
    const info = counts[column * 3 + INFO];
    const total = ok + fail + info;
    const pure = total === 0 ? -1 : ok === total ? OK : fail === total ? FAIL : info === total ? INFO : -1;
    const key = pure < 0 ? -1 : pure + 3 * lit[column];
    if (key >= 0 && key === runKey && runFrom >= 0) continue;
    flush(column);
    runKey = key;
    if (key >= 0) {
      runFrom = column;
      continue;
    }
    if (total === 0) continue;
    // A mixed column: bands in proportion, each present result at least a pixel tall.
    c.globalAlpha = lit[column] ? 1 : 0.35;
    let top = y;
    const heights = bandHeights(
      STACK_ORDER.map((result) => counts[column * 3 + result]),
      total,
    );
    STACK_ORDER.forEach((result, band) => {
      if (heights[band] === 0) return;
      c.fillStyle = s.palette.fill[result];
      c.fillRect(left + column, top, 1, heights[band]);
      top += heights[band];
    });
  }
  flush(columns);
  c.globalAlpha = 1;
}

function drawBar(c: Context, s: Scene, id: number, x0: number, y: number, w: number, dim: boolean): void {
  const { palette } = s;
  const result = s.model.ops.result[id];
  const gap = w > 6 ? 1 : 0;
  c.globalAlpha = dim ? 0.35 : 1;
  c.fillStyle = palette.fill[result];
  c.fillRect(x0 + gap, y, w - 2 * gap, BAR_HEIGHT);
  if (w > 4) {
    c.strokeStyle = palette.edge[result];
    c.lineWidth = 1;
    c.strokeRect(x0 + gap + 0.5, y + 0.5, w - 2 * gap - 1, BAR_HEIGHT - 1);
  }
  if (s.hover && 'op' in s.hover && s.hover.op === id) {
    c.strokeStyle = palette.ink;
    c.lineWidth = 1.5;
    c.strokeRect(x0 + 0.75, y - 0.75, w - 1.5, BAR_HEIGHT + 1.5);
  }
  // The label starts where the bar comes into view, so a bar reaching in from the left is still named.
  const textX = Math.max(x0, s.frame.left) + 4 + gap;
  const room = x0 + w - textX - 4;
  if (room > 24) {
    const label = fitText(c, barLabel(s, id), room);
    if (label) {
      c.fillStyle = palette.ink;
      c.fillText(label, textX, y + BAR_HEIGHT / 2 + 0.5);
    }
  }
  c.globalAlpha = 1;
}

/** What an op did, as Jepsen writes it ("write 3", "read 1"); numbered when in the longest prefix. */
function barLabel(s: Scene, id: number): string {
  const { columns } = s.model.ops;
  const text = s.model.text;
  const rank = s.selection.prefixRank.get(id);
  const label = `${text(columns.f[id])} ${text(columns.output[id] || columns.input[id])}`;
  return rank === undefined ? label : `#${rank + 1} ${label}`;
}

// Every operation in a finding wears an outline over a halo, and a marker above when too thin to see.
// Halos go under the bars, outlines over them.
function highlightedBars(s: Scene): HighlightedBar[] {
  const { frame, lanes, view, selection } = s;
  const [first, last] = frame.visibleLanes();
  const bars: HighlightedBar[] = [];
  for (const [id] of s.model.findingsOfOp) {
    const index = lanes.laneOf[id];
    if (index < first || index > last || frame.opEnd(id) < view.u0 || frame.opStart(id) > view.u1) continue;
    bars.push({ id, ...frame.bar(id), selected: selection.ops?.has(id) ?? false });
  }
  return bars.sort((a, b) => a.id - b.id);
}

function drawHalos(c: Context, s: Scene, bars: readonly HighlightedBar[]): void {
  c.fillStyle = s.palette.halo;
  for (const { x, y, w, selected } of bars) {
    c.globalAlpha = s.selection.ops === null || selected ? 1 : 0.4;
    c.fillRect(x - 4, y - 4, w + 8, BAR_HEIGHT + 8);
  }
  c.globalAlpha = 1;
}

function drawOutlines(c: Context, s: Scene, bars: readonly HighlightedBar[]): void {
  for (const { id, x, y, w, selected } of bars) {
    s.drawn.highlighted.push(id);
    c.globalAlpha = s.selection.ops === null || selected ? 1 : 0.4;
    c.strokeStyle = s.palette.highlight;
    c.lineWidth = selected ? 3 : 2;
    c.strokeRect(x - 1, y - 1, w + 2, BAR_HEIGHT + 2);
    if (w < 8) {
      const cx = x + w / 2;
      c.fillStyle = s.palette.highlight;
      c.beginPath();
      c.moveTo(cx - 4, y - 7);
      c.lineTo(cx + 4, y - 7);
      c.lineTo(cx, y - 2);
      c.closePath();
      c.fill();
    }
  }
  c.globalAlpha = 1;
}

// A selected anomaly's operations, joined by arrows in the order its explanation walks them.
function drawProofPath(c: Context, s: Scene): void {
  const finding = s.selection.finding;
  if (!finding?.ordered || finding.ops.length < 2) return;
  c.strokeStyle = s.palette.highlight;
  c.fillStyle = s.palette.highlight;
  c.lineWidth = 1.5;
  c.globalAlpha = 0.8;
  for (let i = 1; i < finding.ops.length; i++) {
    const [ax, ay] = arrowEnd(s, finding.ops[i - 1], finding.ops[i]);
    const [bx, by] = arrowEnd(s, finding.ops[i], finding.ops[i - 1]);
    c.beginPath();
    c.moveTo(ax, ay);
    c.lineTo(bx, by);
    c.stroke();
    const angle = Math.atan2(by - ay, bx - ax);
    c.beginPath();
    c.moveTo(bx, by);
    c.lineTo(bx - 8 * Math.cos(angle - 0.4), by - 8 * Math.sin(angle - 0.4));
    c.lineTo(bx - 8 * Math.cos(angle + 0.4), by - 8 * Math.sin(angle + 0.4));
    c.closePath();
    c.fill();
  }
  c.globalAlpha = 1;
}

// Where the arrow between two bars meets `id`: the facing edges when one bar ends before the other
// begins (the real-time order the explanation relies on), else the centre.
function arrowEnd({ frame }: Scene, id: number, other: number): [number, number] {
  const { x, w, y } = frame.bar(id);
  const middle: [number, number] = [x + w / 2, y + BAR_HEIGHT / 2];
  if (frame.opEnd(id) <= frame.opStart(other)) return [x + w, middle[1]];
  if (frame.opEnd(other) <= frame.opStart(id)) return [x, middle[1]];
  return middle;
}

function drawGutter(c: Context, s: Scene): void {
  const { frame, palette, lanes, selection } = s;
  const { nodes } = s.model;
  c.fillStyle = palette.panel;
  c.fillRect(0, AXIS_HEIGHT, frame.left - 1, frame.bottom - AXIS_HEIGHT);
  c.fillRect(frame.right, AXIS_HEIGHT, frame.width - frame.right, frame.bottom - AXIS_HEIGHT);
  c.strokeStyle = palette.border;
  c.lineWidth = 1;
  c.beginPath();
  c.moveTo(frame.left - 0.5, AXIS_HEIGHT);
  c.lineTo(frame.left - 0.5, frame.bottom);
  if (nodes.length > 0) {
    const y = frame.laneTop - SECTION_GAP / 2 + 0.5;
    c.moveTo(0, y);
    c.lineTo(frame.width, y);
  }
  c.stroke();
  c.font = LABEL_FONT;
  c.textBaseline = 'middle';
  c.textAlign = 'right';
  if (frame.faultRow > 0) {
    c.fillStyle = palette.fault;
    c.fillText('faults', frame.left - 8, AXIS_HEIGHT + frame.faultRow / 2);
  }
  c.fillStyle = palette.ink;
  nodes.forEach((node, index) => {
    c.fillText(node.name, frame.left - 8, frame.nodeTop + index * NODE_HEIGHT + NODE_HEIGHT / 2);
  });
  c.save();
  c.beginPath();
  c.rect(0, frame.laneTop, frame.left, frame.bottom - frame.laneTop);
  c.clip();
  const [first, last] = frame.visibleLanes();
  for (let index = first; index <= last; index++) {
    c.fillStyle = selection.lanes.has(index) ? palette.highlight : palette.muted;
    c.fillText(lanes.list[index].label, frame.left - 8, frame.laneY(index) + LANE_HEIGHT / 2);
  }
  c.restore();
  c.textAlign = 'left';
}

// When the lanes overflow the chart, a thin thumb at the right edge shows where the view is among them.
function drawScrollbar(c: Context, { frame, view, lanes, palette }: Scene): void {
  const room = frame.bottom - frame.laneTop;
  const content = lanes.list.length * LANE_HEIGHT + 6;
  if (content <= room) return;
  const height = Math.max(24, (room * room) / content);
  const top = frame.laneTop + (view.scrollY / (content - room)) * (room - height);
  c.fillStyle = palette.border;
  roundRect(c, frame.width - 8, top, 5, height, 2.5);
  c.fill();
}

function drawAxis(c: Context, { frame, palette, view, model }: Scene, ticks: readonly number[]): void {
  c.fillStyle = palette.panel;
  c.fillRect(0, 0, frame.width, AXIS_HEIGHT);
  c.strokeStyle = palette.border;
  c.beginPath();
  c.moveTo(0, AXIS_HEIGHT - 0.5);
  c.lineTo(frame.width, AXIS_HEIGHT - 0.5);
  c.stroke();
  c.font = SMALL_FONT;
  c.textBaseline = 'middle';
  c.fillStyle = palette.muted;
  c.textAlign = 'right';
  c.fillText(view.timeMode ? 'time' : 'event', frame.left - 8, AXIS_HEIGHT / 2);
  c.textAlign = 'center';
  for (const tick of ticks) {
    const x = frame.xOf(tick);
    if (x < frame.left + 12 || x > frame.right - 12) continue;
    c.fillText(view.timeMode ? formatDuration(tick - timesOf(model)[0]) : String(tick), x, AXIS_HEIGHT / 2);
  }
  c.textAlign = 'left';
}

function hatch(c: Context, x: number, y: number, w: number, h: number): void {
  c.save();
  c.beginPath();
  c.rect(x, y, w, h);
  c.clip();
  c.strokeStyle = 'rgba(255,255,255,0.55)';
  c.lineWidth = 1;
  c.beginPath();
  for (let at = x - h; at < x + w; at += 6) {
    c.moveTo(at, y + h);
    c.lineTo(at + h, y);
  }
  c.stroke();
  c.restore();
}

function roundRect(c: Context, x: number, y: number, w: number, h: number, r: number): void {
  c.beginPath();
  c.moveTo(x + r, y);
  c.arcTo(x + w, y, x + w, y + h, r);
  c.arcTo(x + w, y + h, x, y + h, r);
  c.arcTo(x, y + h, x, y, r);
  c.arcTo(x, y, x + w, y, r);
  c.closePath();
}

/** The label cut to fit `room` pixels, judged by an average character width (measuring each is slow). */
function fitText(c: Context, label: string, room: number): string {
  const charWidth = c.measureText('abcdefghij0123456789').width / 20;
  const fits = Math.floor(room / charWidth);
  if (fits >= label.length) return label;
  return fits > 2 ? `${label.slice(0, fits - 1)}…` : '';
}
