// The page's state and its wiring: what is in view, which finding is chosen, what the cursor is over;
// and the mouse, keys and controls that change them. Drawing is draw.ts's, geometry frame.ts's. The
// page's entry point: render-timeline.ts bundles it, with what it imports, into the page's one script.
import type { TimelineData } from '../timeline-data.ts';
import type { Drawn } from './draw.ts';
import { drawTimeline, LABEL_FONT, readPalette } from './draw.ts';
import type { View } from './frame.ts';
import { AXIS_HEIGHT, BAR_HEIGHT, frameOf, LANE_HEIGHT, NODE_HEIGHT, timesOf } from './frame.ts';
import { decodeTimeline } from './history-model.ts';
import type { Hit } from './hit-test.ts';
import { hitTest } from './hit-test.ts';
import type { LaneMode } from './lanes.ts';
import { buildLanes, defaultLaneMode } from './lanes.ts';
import { fitView, focusView, panView, switchAxis, zoomView } from './navigation.ts';
import { fillFindings, fillLegend, fillSummary } from './panels.ts';
import { selectionOf } from './selection.ts';
import { showTooltip } from './tooltip.ts';

interface Point {
  readonly x: number;
  readonly y: number;
}

/** What the page drew in its last frame, and where things are: `window.__leaderlog`. */
export interface PageSummary {
  readonly operations: number;
  readonly lanes: readonly string[];
  readonly nodes: readonly { readonly name: string; readonly source: string }[];
  readonly faults: number;
  readonly findings: readonly { readonly kind: string; readonly ops: number[]; readonly events: number[] }[];
  readonly selected: number;
  readonly timeMode: boolean;
  readonly laneMode: LaneMode;
  readonly drawn: Drawn;
  locateOp(id: number): (Point & { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number }) | null;
  locateEvent(event: number, row: string): Point | null;
  select(index: number): void;
}

declare global {
  interface Window {
    __leaderlog?: PageSummary;
  }
}

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

const data = JSON.parse(byId('timeline-data').textContent as string) as TimelineData;
const model = decodeTimeline(data);
const canvas = document.querySelector('#chart canvas') as HTMLCanvasElement;
const context = canvas.getContext('2d') as CanvasRenderingContext2D;
const chart = byId('chart');
const tooltip = byId('tooltip');
const findingList = byId('finding-list');
const palette = readPalette();

const view: View = { timeMode: false, laneMode: defaultLaneMode(model), u0: 0, u1: 1, scrollY: 0 };
let lanes = buildLanes(model, view.laneMode);
let selection = selectionOf(model, lanes, -1);
let hover: Hit | null = null;
let size = { width: 0, height: 0 };
let pendingFrame = 0;
const nodeLabelWidth = widestLabel(model.nodes.map((node) => node.name));
let laneLabelWidth = widestLabel(lanes.list.map((lane) => lane.label));

function frame() {
  return frameOf(model, view, lanes, size.width, size.height, Math.max(laneLabelWidth, nodeLabelWidth));
}

function widestLabel(labels: readonly string[]): number {
  context.font = LABEL_FONT;
  let widest = '';
  for (const label of labels) if (label.length > widest.length) widest = label;
  return context.measureText(widest).width;
}

function choose(index: number): void {
  selection = selectionOf(model, lanes, index);
  for (const item of findingList.querySelectorAll<HTMLElement>('li[data-finding]')) {
    item.setAttribute('aria-selected', String(Number(item.dataset.finding) === selection.index));
  }
  const { finding } = selection;
  // An invalid partition's stuck operations come with the last of the prefix, which left the state they fail on.
  const shown = finding ? [...finding.prefix.slice(-2), ...finding.ops] : [];
  // A window (two leaders' overlap) is where to look; the events that opened it may lie far before.
  const around = finding?.window ? finding.window : finding ? finding.events : [];
  if (shown.length + around.length > 0) focusView(model, view, frame(), lanes, shown, around);
  requestDraw();
}

function requestDraw() {
  if (!pendingFrame) pendingFrame = requestAnimationFrame(draw);
}

function draw() {
  pendingFrame = 0;
  const current = frame();
  view.scrollY = Math.min(Math.max(view.scrollY, 0), current.maxScroll());
  const drawn: Drawn = { lanes: 0, bars: 0, highlighted: [], highlightedEvents: [], faults: 0, nodeSegments: 0 };
  drawTimeline(context, { model, view, lanes, frame: current, selection, palette, hover, drawn });
  publish(drawn);
}

/** Fits the chart to the window (or to its content, when that is shorter) and redraws at once. */
function resize() {
  const bounds = chart.getBoundingClientRect();
  const content = frame().laneTop + lanes.list.length * LANE_HEIGHT + 8;
  const room = Math.max(240, window.innerHeight - bounds.top - 24);
  chart.style.height = `${Math.min(content, room)}px`;
  size = { width: chart.clientWidth, height: chart.clientHeight };
  canvas.width = Math.round(size.width * devicePixelRatio);
  canvas.height = Math.round(size.height * devicePixelRatio);
  draw();
}

function wireControls() {
  const timeAxis = byId<HTMLInputElement>('time-axis');
  if (!model.timeAxis) {
    timeAxis.disabled = true;
    const label = byId('time-axis-toggle');
    label.classList.add('disabled');
    label.title = model.times
      ? 'Some events lack a time or times go backwards: the event order is the truth.'
      : 'The history has no times.';
  }
  timeAxis.addEventListener('change', () => {
    switchAxis(model, view, timeAxis.checked);
    requestDraw();
  });
  const laneMode = byId<HTMLSelectElement>('lane-mode');
  laneMode.value = view.laneMode;
  if (!model.keyed) laneMode.querySelector('option[value="key"]')?.remove();
  laneMode.addEventListener('change', () => {
    view.laneMode = laneMode.value as LaneMode;
    lanes = buildLanes(model, view.laneMode);
    laneLabelWidth = widestLabel(lanes.list.map((lane) => lane.label));
    selection = selectionOf(model, lanes, selection.index);
    resize();
  });
  const actions: Readonly<Record<string, () => void>> = {
    fit: () => fitView(model, view),
    'zoom-in': () => zoomView(model, view, (view.u0 + view.u1) / 2, 0.5),
    'zoom-out': () => zoomView(model, view, (view.u0 + view.u1) / 2, 2),
  };
  for (const button of document.querySelectorAll<HTMLElement>('#controls button[data-action]')) {
    button.addEventListener('click', () => {
      actions[button.dataset.action as string]();
      requestDraw();
    });
  }
}

function wireInput() {
  const local = (event: MouseEvent): [number, number] => {
    const bounds = canvas.getBoundingClientRect();
    return [event.clientX - bounds.left, event.clientY - bounds.top];
  };
  let drag: { x: number; y: number; u0: number; u1: number; scrollY: number } | null = null;
  canvas.addEventListener('mousedown', (event) => {
    drag = { x: event.clientX, y: event.clientY, u0: view.u0, u1: view.u1, scrollY: view.scrollY };
    canvas.classList.add('dragging');
  });
  window.addEventListener('mouseup', () => {
    drag = null;
    canvas.classList.remove('dragging');
  });
  canvas.addEventListener('mousemove', (event) => {
    if (drag) {
      const du = frame().unitsPer(event.clientX - drag.x);
      [view.u0, view.u1] = [drag.u0, drag.u1];
      panView(model, view, -du);
      view.scrollY = drag.scrollY - (event.clientY - drag.y);
      tooltip.hidden = true;
      requestDraw();
      return;
    }
    const [x, y] = local(event);
    const hit = hitTest(model, view, lanes, frame(), x, y);
    const before = hoveredOp(hover);
    hover = hit;
    if (hit) showTooltip(tooltip, model, selection, hit, event.clientX, event.clientY);
    else tooltip.hidden = true;
    if (hoveredOp(hit) !== before) requestDraw();
  });
  canvas.addEventListener('mouseleave', () => {
    tooltip.hidden = true;
    if (hover) {
      hover = null;
      requestDraw();
    }
  });
  canvas.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const lines = event.deltaMode === 1 ? 16 : 1;
      if (event.shiftKey) {
        view.scrollY += (event.deltaY || event.deltaX) * lines;
      } else if (Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
        panView(model, view, frame().unitsPer(event.deltaX * lines));
      } else {
        zoomView(model, view, frame().uOf(local(event)[0]), Math.exp(event.deltaY * lines * 0.0015));
      }
      requestDraw();
    },
    { passive: false },
  );
  canvas.addEventListener('dblclick', (event) => {
    zoomView(model, view, frame().uOf(local(event)[0]), 0.4);
    requestDraw();
  });
  window.addEventListener('keydown', (event) => {
    // Keys belong to the element that takes typing or choosing; a ticked checkbox keeps none.
    if (event.target instanceof Element && event.target.closest('select, textarea, input:not([type="checkbox"])')) return;
    const span = view.u1 - view.u0;
    const middle = (view.u0 + view.u1) / 2;
    const keys: Readonly<Record<string, () => unknown>> = {
      0: () => fitView(model, view),
      '+': () => zoomView(model, view, middle, 0.5),
      '=': () => zoomView(model, view, middle, 0.5),
      '-': () => zoomView(model, view, middle, 2),
      ArrowLeft: () => panView(model, view, -span * 0.2),
      ArrowRight: () => panView(model, view, span * 0.2),
      ArrowUp: () => (view.scrollY -= LANE_HEIGHT * 3),
      ArrowDown: () => (view.scrollY += LANE_HEIGHT * 3),
      Escape: () => choose(-1),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
    requestDraw();
  });
  new ResizeObserver(() => resize()).observe(document.body);
}

/** The hovered op; null when nothing is hovered, undefined when something else is (a change redraws). */
function hoveredOp(hit: Hit | null): number | null | undefined {
  if (hit === null) return null;
  return 'op' in hit ? hit.op : undefined;
}

// What the page drew in its last frame, and where things are, for tests and for anyone scripting it.
function publish(drawn: Drawn): void {
  window.__leaderlog = {
    operations: model.ops.count,
    lanes: lanes.list.map((lane) => lane.label),
    nodes: model.nodes.map((node) => ({ name: node.name, source: node.source })),
    faults: model.faults.at.length,
    findings: model.findings.map((finding) => ({ kind: finding.kind, ops: [...finding.ops], events: [...finding.events] })),
    selected: selection.index,
    timeMode: view.timeMode,
    laneMode: view.laneMode,
    drawn: { ...drawn, highlightedEvents: [...drawn.highlightedEvents].sort((a, b) => a - b) },
    locateOp,
    locateEvent,
    select: choose,
  };
  document.body.dataset.frames = String(Number(document.body.dataset.frames ?? 0) + 1);
}

/** An operation's bar in viewport coordinates (its centre and edges), or null when it is off screen. */
function locateOp(id: number): ReturnType<PageSummary['locateOp']> {
  const current = frame();
  const [first, last] = current.visibleLanes();
  const { x, w, y } = current.bar(id);
  const index = lanes.laneOf[id];
  if (index < first || index > last || x + w < current.left || x > current.right || y < current.laneTop || y > current.bottom) return null;
  const origin = canvas.getBoundingClientRect();
  return {
    x: origin.left + x + w / 2,
    y: origin.top + y + BAR_HEIGHT / 2,
    left: origin.left + x,
    right: origin.left + x + w,
    top: origin.top + y,
    bottom: origin.top + y + BAR_HEIGHT,
  };
}

/** Where an event sits in a row ("faults" or a node's name), in viewport coordinates; null off screen. */
function locateEvent(event: number, row: string): Point | null {
  const current = frame();
  const x = current.xOf(view.timeMode ? timesOf(model)[event] : event + 0.5);
  const node = model.nodes.findIndex((candidate) => candidate.name === row);
  const y =
    row === 'faults' ? AXIS_HEIGHT + current.faultRow / 2 : node >= 0 ? current.nodeTop + node * NODE_HEIGHT + NODE_HEIGHT / 2 : NaN;
  if (Number.isNaN(y) || x < current.left || x > current.right) return null;
  const origin = canvas.getBoundingClientRect();
  return { x: origin.left + x, y: origin.top + y };
}

fillSummary(byId('summary'), model);
fillFindings(findingList, model, (index) => choose(selection.index === index ? -1 : index));
fillLegend(model);
wireControls();
wireInput();
fitView(model, view);
resize();
