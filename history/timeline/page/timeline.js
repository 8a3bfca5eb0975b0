// The timeline page's script. It decodes the history embedded by timeline-data.ts and draws it on a
// canvas. A canvas rather than SVG because a history can hold a million operations: as SVG that is a
// million DOM nodes and a browser that stops answering; on a canvas only what is on screen is drawn,
// bars narrower than a pixel merge into runs, and hovering is a binary search in the lane under the
// cursor. Data only ever reaches the DOM through textContent.
'use strict';

(function timelinePage() {
  const data = JSON.parse(document.getElementById('timeline-data').textContent);
  const text = (position) => data.strings[position] ?? '';

  const OK = 0;
  const FAIL = 1;
  const INFO = 2;
  const RESULT_NAMES = ['ok', 'fail', 'info'];
  const RESULT_CODES = { o: OK, f: FAIL, i: INFO };
  const EVENT_TYPE_NAMES = { i: 'invoke', o: 'ok', f: 'fail', n: 'info' };
  const KNOWN_ROLES = ['leader', 'follower', 'candidate', 'down'];

  const LANE_HEIGHT = 22;
  const BAR_HEIGHT = 14;
  const NODE_HEIGHT = 22;
  const AXIS_HEIGHT = 24;
  const FAULT_ROW_HEIGHT = 20;
  const SECTION_GAP = 10;
  const LABEL_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  const SMALL_FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

  const css = getComputedStyle(document.documentElement);
  const colour = (name) => css.getPropertyValue(`--${name}`).trim();
  const palette = {
    fill: [colour('ok'), colour('fail'), colour('info')],
    edge: [colour('ok-edge'), colour('fail-edge'), colour('info-edge')],
    highlight: colour('highlight'),
    halo: colour('highlight-halo'),
    fault: colour('fault'),
    roles: {
      leader: colour('leader'),
      follower: colour('follower'),
      candidate: colour('candidate'),
      down: colour('down'),
    },
    otherRole: colour('other-role'),
    served: colour('served'),
    ink: colour('ink'),
    muted: colour('muted'),
    grid: colour('grid'),
    stripe: colour('stripe'),
    panel: colour('panel'),
    border: colour('border'),
  };

  // ---------------------------------------------------------------- the history, decoded

  const ops = decodeOperations(data.ops);
  const eventCount = data.eventCount;
  const times = decodeTimes(data.eventTimes, eventCount);
  const faults = data.faults;
  const nodes = data.nodes.map((lane) => ({
    name: text(lane.node),
    source: lane.source,
    segments: lane.segments,
  }));
  const findings = collectFindings();
  const findingsOfOp = indexFindings(findings);
  const findingsOfEvent = indexFindings(findings, 'events');

  function decodeOperations(columns) {
    const count = columns.lane.length;
    const invoke = new Int32Array(count);
    const complete = new Int32Array(count);
    const result = new Uint8Array(count);
    let at = 0;
    for (let i = 0; i < count; i++) {
      at += columns.invoke[i];
      invoke[i] = at;
      complete[i] = columns.span[i] === 0 ? -1 : at + columns.span[i];
      result[i] = RESULT_CODES[columns.result[i]];
    }
    const errors = new Map();
    for (let i = 0; i < columns.errors.length; i += 2) errors.set(columns.errors[i], columns.errors[i + 1]);
    return { count, invoke, complete, result, errors, columns };
  }

  function decodeTimes(deltas, count) {
    if (!deltas) return null;
    const decoded = new Float64Array(count);
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (deltas[i] === null) {
        decoded[i] = NaN;
      } else {
        at += deltas[i];
        decoded[i] = at;
      }
    }
    return decoded;
  }

  // A finding is anything the page can point at: an invalid partition from the checker (its stuck
  // operations and longest prefix) or a named anomaly (the operations that prove it).
  function collectFindings() {
    const list = [];
    for (const partition of data.check ? data.check.unproved : []) {
      if (partition.verdict === 'invalid') {
        const state = partition.stateAfterPrefix === null ? '' : ` (state then: ${partition.stateAfterPrefix})`;
        list.push({
          kind: 'not linearizable',
          key: partition.key,
          ops: partition.stuck,
          events: [],
          prefix: partition.prefix,
          ordered: false,
          reason:
            `${partition.prefix.length} of ${partition.operations} operations linearize${state}; ` +
            `none of the ${partition.stuck.length} that must come next can.`,
        });
      } else {
        list.push({
          kind: 'unknown',
          key: partition.key,
          ops: [],
          events: [],
          prefix: [],
          ordered: false,
          reason: `The ${partition.exhausted ?? 'search'} budget ran out before a verdict on ${partition.operations} operations.`,
        });
      }
    }
    for (const anomaly of data.anomalies) {
      list.push({
        kind: anomaly.kind,
        key: anomaly.key,
        ops: anomaly.ops,
        events: anomaly.events,
        prefix: [],
        ordered: true,
        reason: anomaly.reason,
      });
    }
    return list;
  }

  // Which findings an operation (or, with `field` "events", a non-client event) takes part in.
  function indexFindings(list, field = 'ops') {
    const index = new Map();
    list.forEach((finding, i) => {
      for (const id of finding[field]) {
        if (!index.has(id)) index.set(id, []);
        index.get(id).push(i);
      }
    });
    return index;
  }

  // ---------------------------------------------------------------- the view's state

  const canvas = document.querySelector('#chart canvas');
  const context = canvas.getContext('2d');
  const chart = document.getElementById('chart');
  const tooltip = document.getElementById('tooltip');
  const findingList = document.getElementById('finding-list');

  const keyed = data.ops.key !== null;
  const view = {
    timeMode: false,
    laneMode: defaultLaneMode(),
    u0: 0,
    u1: 1,
    scrollY: 0,
    selected: -1,
    hover: null,
  };
  const nodeLabelWidth = labelWidth(nodes.map((node) => node.name));
  let lanes = buildLanes(view.laneMode);
  let laneOfOp = lanes.laneOf;
  let prefixRank = new Map();
  let involved = null;
  let involvedLaneSet = new Set();
  let involvedEvents = new Set();
  let width = 0;
  let height = 0;
  let frame = 0;
  const drawn = { lanes: 0, bars: 0, highlighted: [], highlightedEvents: [], faults: 0, nodeSegments: 0 };

  // Lanes: one per client process; or per worker, where a process that crashed hands its lane to the
  // process that replaced it (as Jepsen numbers them), so a long history keeps as many lanes as it had
  // clients at once; or per key and process. A process runs one operation at a time, so in every mode
  // the bars in a lane never overlap and stay sorted by both ends.
  function buildLanes(mode) {
    const workerOf = mode === 'worker' ? assignWorkers() : null;
    const groups = new Map();
    const laneOf = new Int32Array(ops.count);
    for (let i = 0; i < ops.count; i++) {
      const process = data.processes[data.ops.lane[i]];
      const key = mode === 'key' ? data.ops.key[i] : 0;
      const id = workerOf ? workerOf.get(process) : `${key} ${process}`;
      let lane = groups.get(id);
      if (!lane) {
        lane = { process: workerOf ? workerOf.get(process) : process, key, ids: [] };
        groups.set(id, lane);
      }
      lane.ids.push(i);
    }
    const list = [...groups.values()].sort((a, b) => compareKeys(text(a.key), text(b.key)) || a.process - b.process);
    list.forEach((lane, index) => {
      lane.label = mode === 'key' ? `${text(lane.key) || '–'}  p${lane.process}` : mode === 'worker' ? `w${lane.process}` : `p${lane.process}`;
      lane.ids = Int32Array.from(lane.ids);
      // Every indeterminate op may take effect until the end, so a lane's tails merge into one,
      // starting at its first indeterminate op.
      lane.tailFrom = lane.ids.find((id) => ops.result[id] === INFO) ?? -1;
      for (const id of lane.ids) laneOf[id] = index;
    });
    list.laneOf = laneOf;
    list.labelWidth = labelWidth(list.map((lane) => lane.label));
    return list;
  }

  // A lane per process, unless crashes have multiplied the processes: a history with 2,000 processes
  // and 10 clients at a time reads better in 10 worker lanes.
  function defaultLaneMode() {
    const processes = data.processes.length;
    const workers = new Set(assignWorkers().values()).size;
    return processes > 64 && processes >= 4 * workers ? 'worker' : 'process';
  }

  // Each process, in order of its first invocation, takes the lowest-numbered worker lane free since
  // before it began. A process with an op that never completes holds its lane to the end.
  function assignWorkers() {
    const first = new Map();
    const last = new Map();
    for (let i = 0; i < ops.count; i++) {
      const process = data.processes[data.ops.lane[i]];
      if (!first.has(process)) first.set(process, ops.invoke[i]);
      last.set(process, ops.complete[i] < 0 ? eventCount : ops.complete[i]);
    }
    const busyUntil = [];
    const workerOf = new Map();
    for (const [process, start] of [...first].sort((a, b) => a[1] - b[1])) {
      let worker = busyUntil.findIndex((end) => end < start);
      if (worker < 0) worker = busyUntil.length;
      busyUntil[worker] = last.get(process);
      workerOf.set(process, worker);
    }
    return workerOf;
  }

  function labelWidth(labels) {
    context.font = LABEL_FONT;
    let widest = '';
    for (const label of labels) if (label.length > widest.length) widest = label;
    return context.measureText(widest).width;
  }

  function compareKeys(a, b) {
    const x = Number(a);
    const y = Number(b);
    if (a !== '' && b !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
    return a < b ? -1 : a > b ? 1 : 0;
  }

  // ---------------------------------------------------------------- positions

  // On the event axis event i occupies [i, i+1): an op spans from its invocation's cell to its
  // completion's, so real-time order is exactly left-to-right order. On the time axis an event is a point.
  function startOf(event) {
    return view.timeMode ? times[event] : event;
  }
  function endOf(event) {
    return view.timeMode ? times[event] : event + 1;
  }
  function domain() {
    if (!view.timeMode) return [0, Math.max(eventCount, 1)];
    const first = times[0];
    const last = times[eventCount - 1];
    return [first, last > first ? last : first + 1];
  }
  function opStart(id) {
    return startOf(ops.invoke[id]);
  }
  function opEnd(id) {
    const complete = ops.complete[id];
    return complete < 0 ? endOf(ops.invoke[id]) : endOf(complete);
  }
  function segmentEnd(event, source) {
    if (event >= eventCount) return domain()[1];
    return source === 'ops' ? endOf(event) : startOf(event);
  }

  function layout() {
    const faultRow = faults.at.length > 0 ? FAULT_ROW_HEIGHT : 0;
    const nodeTop = AXIS_HEIGHT + faultRow;
    const laneTop = nodeTop + nodes.length * NODE_HEIGHT + (nodes.length > 0 ? SECTION_GAP : 4);
    const left = Math.ceil(Math.min(Math.max(Math.max(lanes.labelWidth, nodeLabelWidth) + 20, 56), 180));
    return { faultRow, nodeTop, laneTop, left, right: width - 12, bottom: height };
  }

  function xOf(u, box) {
    return box.left + ((u - view.u0) / (view.u1 - view.u0)) * (box.right - box.left);
  }
  function uOf(x, box) {
    return view.u0 + ((x - box.left) / (box.right - box.left)) * (view.u1 - view.u0);
  }
  function maxScroll(box) {
    return Math.max(0, lanes.length * LANE_HEIGHT - (box.bottom - box.laneTop) + 6);
  }

  // ---------------------------------------------------------------- drawing

  function requestDraw() {
    if (!frame) frame = requestAnimationFrame(draw);
  }

  function draw() {
    frame = 0;
    const box = layout();
    view.scrollY = Math.min(Math.max(view.scrollY, 0), maxScroll(box));
    drawn.lanes = 0;
    drawn.bars = 0;
    drawn.highlighted = [];
    drawn.highlightedEvents = [];
    drawn.faults = 0;
    drawn.nodeSegments = 0;
    context.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0);
    context.fillStyle = palette.panel;
    context.fillRect(0, 0, width, height);

    const ticks = axisTicks(box);
    drawGrid(box, ticks);
    drawLaneStripes(box);
    drawFaults(box);
    drawNodes(box);
    context.save();
    context.beginPath();
    context.rect(box.left, box.laneTop, box.right - box.left, box.bottom - box.laneTop);
    context.clip();
    const highlighted = highlightedBars(box);
    drawHalos(highlighted);
    drawTails(box);
    drawBars(box);
    drawOutlines(highlighted);
    drawProofPath(box);
    context.restore();
    drawGutter(box);
    drawAxis(box, ticks);
    publishSummary();
  }

  function visibleLanes(box) {
    const first = Math.max(0, Math.floor(view.scrollY / LANE_HEIGHT));
    const last = Math.min(lanes.length - 1, Math.floor((view.scrollY + box.bottom - box.laneTop) / LANE_HEIGHT));
    return [first, last];
  }
  function laneY(index, box) {
    return box.laneTop + index * LANE_HEIGHT - view.scrollY;
  }

  function drawLaneStripes(box) {
    const [first, last] = visibleLanes(box);
    context.fillStyle = palette.stripe;
    for (let index = first; index <= last; index++) {
      if (index % 2 === 1) context.fillRect(box.left, laneY(index, box), box.right - box.left, LANE_HEIGHT);
    }
    for (let index = 0; index < nodes.length; index++) {
      if (index % 2 === 1) context.fillRect(box.left, box.nodeTop + index * NODE_HEIGHT, box.right - box.left, NODE_HEIGHT);
    }
  }

  function drawGrid(box, ticks) {
    context.strokeStyle = palette.grid;
    context.lineWidth = 1;
    context.beginPath();
    for (const tick of ticks) {
      const x = Math.round(xOf(tick, box)) + 0.5;
      context.moveTo(x, AXIS_HEIGHT);
      context.lineTo(x, box.bottom);
    }
    context.stroke();
  }

  // A fault is a vertical line through every lane, so what happened to the cluster lines up with what
  // the clients saw. Labels that would collide are left out; hovering the line names them all.
  function drawFaults(box) {
    const count = faults.at.length;
    if (count === 0) return;
    const [from, to] = visibleRange(count, (i) => faultX(i), view.u0, view.u1);
    let lastLineX = -Infinity;
    let labelEnd = -Infinity;
    // Dense faults fade, so that zoomed out they shade the lanes rather than hide them.
    const density = ((to - from) * 8) / (box.right - box.left);
    const lineAlpha = density > 1 ? Math.max(0.12, 0.55 / density) : 0.55;
    context.font = SMALL_FONT;
    context.textBaseline = 'middle';
    for (let i = from; i < to; i++) {
      drawn.faults++;
      const x = Math.round(xOf(faultX(i), box)) + 0.5;
      if (x !== lastLineX) {
        context.strokeStyle = palette.fault;
        context.globalAlpha = lineAlpha;
        context.setLineDash([4, 3]);
        context.beginPath();
        context.moveTo(x, AXIS_HEIGHT + 2);
        context.lineTo(x, box.bottom);
        context.stroke();
        context.setLineDash([]);
        context.globalAlpha = 1;
        lastLineX = x;
      }
      const label = text(faults.f[i]);
      const labelWidth = context.measureText(label).width + 10;
      // A chip starts at its line, or ends there when the plot's edge is too close.
      const chipX = x + labelWidth > box.right ? x + 1 - labelWidth : x - 1;
      if (chipX > labelEnd && chipX >= box.left) {
        const top = AXIS_HEIGHT + 2;
        context.fillStyle = palette.fault;
        roundRect(chipX, top, labelWidth, FAULT_ROW_HEIGHT - 5, 3);
        context.fill();
        context.fillStyle = '#fff';
        context.fillText(label, chipX + 5, top + (FAULT_ROW_HEIGHT - 5) / 2 + 0.5);
        labelEnd = chipX + labelWidth + 4;
      }
      if (findingsOfEvent.has(faults.at[i])) outlineEvent(faults.at[i], x - 3, AXIS_HEIGHT + 1, 6, FAULT_ROW_HEIGHT - 3);
    }
  }
  function faultX(i) {
    return view.timeMode ? times[faults.at[i]] : faults.at[i] + 0.5;
  }

  function drawNodes(box) {
    context.font = SMALL_FONT;
    context.textBaseline = 'middle';
    nodes.forEach((node, index) => {
      const y = box.nodeTop + index * NODE_HEIGHT + 3;
      const h = NODE_HEIGHT - 6;
      const segments = node.segments;
      for (let s = 0; s < segments.length; s += 4) {
        const start = startOf(segments[s]);
        const end = segmentEnd(segments[s + 1], node.source);
        if (end < view.u0 || start > view.u1) continue;
        drawn.nodeSegments++;
        const x0 = Math.max(xOf(start, box), box.left - 2);
        const x1 = Math.min(xOf(end, box), box.right + 2);
        const role = text(segments[s + 2]);
        const fill = node.source === 'ops' ? palette.served : palette.roles[role] ?? palette.otherRole;
        context.fillStyle = fill;
        context.fillRect(x0, y, Math.max(x1 - x0, 1), h);
        if (role === 'down') hatch(x0, y, x1 - x0, h);
        const label = segmentLabel(node, role, segments[s + 3]);
        if (x1 - x0 > context.measureText(label).width + 10) {
          context.fillStyle = role === 'leader' ? '#fff' : palette.ink;
          context.fillText(label, x0 + 5, y + h / 2 + 0.5);
        }
        if (node.source === 'roles' && findingsOfEvent.has(segments[s])) {
          outlineEvent(segments[s], x0 - 1, y - 1, Math.max(x1 - x0, 1) + 2, h + 2);
        }
      }
    });
  }
  // A non-client event in a finding (the annotation that made a second leader) is outlined like an op.
  function outlineEvent(event, x, y, w, h) {
    drawn.highlightedEvents.push(event);
    const selected = involvedEvents.has(event);
    context.globalAlpha = view.selected < 0 || selected ? 1 : 0.4;
    context.strokeStyle = '#fff';
    context.lineWidth = 1;
    context.strokeRect(x + 1.5, y + 1.5, w - 3, h - 3);
    context.strokeStyle = palette.highlight;
    context.lineWidth = selected ? 3 : 2;
    context.strokeRect(x, y, w, h);
    context.fillStyle = palette.highlight;
    context.beginPath();
    context.moveTo(x - 4, y - 3);
    context.lineTo(x + 4, y - 3);
    context.lineTo(x, y + 3);
    context.closePath();
    context.fill();
    context.globalAlpha = 1;
  }

  function segmentLabel(node, role, epoch) {
    const shownEpoch = epoch >= 0 ? `epoch ${epoch}` : '';
    if (node.source === 'ops') return shownEpoch || 'acked';
    return shownEpoch ? `${role} · ${shownEpoch}` : role;
  }

  function drawTails(box) {
    const [first, last] = visibleLanes(box);
    context.strokeStyle = palette.edge[INFO];
    context.lineWidth = 1;
    context.setLineDash([5, 4]);
    for (let index = first; index <= last; index++) {
      const lane = lanes[index];
      if (lane.tailFrom < 0) continue;
      const y = Math.round(laneY(index, box) + LANE_HEIGHT / 2) + 0.5;
      context.globalAlpha = isDimmed(lane.tailFrom) ? 0.2 : 0.6;
      context.beginPath();
      context.moveTo(Math.max(xOf(opEnd(lane.tailFrom), box), box.left), y);
      context.lineTo(box.right, y);
      context.stroke();
    }
    context.globalAlpha = 1;
    context.setLineDash([]);
  }

  // Bars under two pixels wide merge with their neighbours of the same colour: at a million operations
  // the zoomed-out picture costs a few thousand rectangles, not a million.
  function drawBars(box) {
    const [first, last] = visibleLanes(box);
    context.font = SMALL_FONT;
    context.textBaseline = 'middle';
    for (let index = first; index <= last; index++) {
      drawn.lanes++;
      const lane = lanes[index];
      const y = laneY(index, box) + (LANE_HEIGHT - BAR_HEIGHT) / 2;
      const [from, to] = visibleRange(lane.ids.length, (k) => opEnd(lane.ids[k]), view.u0, view.u1, (k) => opStart(lane.ids[k]));
      let runStyle = '';
      let runX0 = 0;
      let runX1 = -Infinity;
      const flush = () => {
        if (runX1 > runX0) {
          context.fillStyle = runStyle;
          context.fillRect(runX0, y, runX1 - runX0, BAR_HEIGHT);
        }
      };
      for (let k = from; k < to; k++) {
        const id = lane.ids[k];
        drawn.bars++;
        const x0 = xOf(opStart(id), box);
        const w = Math.max(xOf(opEnd(id), box) - x0, 1.5);
        const dim = isDimmed(id);
        const style = palette.fill[ops.result[id]] + (dim ? '55' : '');
        if (w < 2) {
          if (style === runStyle && x0 <= runX1 + 0.5) {
            runX1 = Math.max(runX1, x0 + w);
          } else {
            flush();
            runStyle = style;
            runX0 = x0;
            runX1 = x0 + w;
          }
          continue;
        }
        flush();
        runX1 = -Infinity;
        runStyle = '';
        drawBar(id, x0, y, w, dim);
      }
      flush();
    }
  }

  function drawBar(id, x0, y, w, dim) {
    const result = ops.result[id];
    const gap = w > 6 ? 1 : 0;
    context.globalAlpha = dim ? 0.35 : 1;
    context.fillStyle = palette.fill[result];
    context.fillRect(x0 + gap, y, w - 2 * gap, BAR_HEIGHT);
    if (w > 4) {
      context.strokeStyle = palette.edge[result];
      context.lineWidth = 1;
      context.strokeRect(x0 + gap + 0.5, y + 0.5, w - 2 * gap - 1, BAR_HEIGHT - 1);
    }
    if (view.hover && view.hover.op === id) {
      context.strokeStyle = palette.ink;
      context.lineWidth = 1.5;
      context.strokeRect(x0 + 0.75, y - 0.75, w - 1.5, BAR_HEIGHT + 1.5);
    }
    if (w > 30) {
      const label = fitText(barLabel(id), w - 8);
      if (label) {
        context.fillStyle = palette.ink;
        context.fillText(label, x0 + 4 + gap, y + BAR_HEIGHT / 2 + 0.5);
      }
    }
    context.globalAlpha = 1;
  }

  function barLabel(id) {
    const rank = prefixRank.get(id);
    const value = ops.columns.output[id] || ops.columns.input[id];
    const label = `${text(ops.columns.f[id])} ${text(value)}`;
    return rank === undefined ? label : `#${rank + 1} ${label}`;
  }

  // Every operation in a finding wears an outline over a halo; when it is too thin to see, a marker
  // above it too. Halos go under the bars, outlines over them.
  function highlightedBars(box) {
    const [first, last] = visibleLanes(box);
    const bars = [];
    for (const [id] of findingsOfOp) {
      const index = laneOfOp[id];
      if (index < first || index > last) continue;
      const start = opStart(id);
      const end = opEnd(id);
      if (end < view.u0 || start > view.u1) continue;
      const x = xOf(start, box);
      const w = Math.max(xOf(end, box) - x, 1.5);
      const y = laneY(index, box) + (LANE_HEIGHT - BAR_HEIGHT) / 2;
      bars.push({ id, x, y, w, selected: involved !== null && involved.has(id) });
    }
    return bars.sort((a, b) => a.id - b.id);
  }

  function drawHalos(bars) {
    context.fillStyle = palette.halo;
    for (const { x, y, w, selected } of bars) {
      context.globalAlpha = involved === null || selected ? 1 : 0.4;
      context.fillRect(x - 4, y - 4, w + 8, BAR_HEIGHT + 8);
    }
    context.globalAlpha = 1;
  }

  function drawOutlines(bars) {
    for (const { id, x, y, w, selected } of bars) {
      drawn.highlighted.push(id);
      context.globalAlpha = involved === null || selected ? 1 : 0.4;
      context.strokeStyle = palette.highlight;
      context.lineWidth = selected ? 3 : 2;
      context.strokeRect(x - 1, y - 1, w + 2, BAR_HEIGHT + 2);
      if (w < 8) {
        const cx = x + w / 2;
        context.fillStyle = palette.highlight;
        context.beginPath();
        context.moveTo(cx - 4, y - 7);
        context.lineTo(cx + 4, y - 7);
        context.lineTo(cx, y - 2);
        context.closePath();
        context.fill();
      }
    }
    context.globalAlpha = 1;
  }

  // A selected anomaly's operations, joined in the order its explanation walks them.
  function drawProofPath(box) {
    if (view.selected < 0) return;
    const finding = findings[view.selected];
    if (!finding.ordered || finding.ops.length < 2) return;
    context.strokeStyle = palette.highlight;
    context.fillStyle = palette.highlight;
    context.lineWidth = 1.5;
    context.globalAlpha = 0.8;
    for (let i = 1; i < finding.ops.length; i++) {
      const [ax, ay] = arrowEnd(finding.ops[i - 1], finding.ops[i], box);
      const [bx, by] = arrowEnd(finding.ops[i], finding.ops[i - 1], box);
      context.beginPath();
      context.moveTo(ax, ay);
      context.lineTo(bx, by);
      context.stroke();
      const angle = Math.atan2(by - ay, bx - ax);
      context.beginPath();
      context.moveTo(bx, by);
      context.lineTo(bx - 8 * Math.cos(angle - 0.4), by - 8 * Math.sin(angle - 0.4));
      context.lineTo(bx - 8 * Math.cos(angle + 0.4), by - 8 * Math.sin(angle + 0.4));
      context.closePath();
      context.fill();
    }
    context.globalAlpha = 1;
  }

  // Where the arrow between two bars meets `id`: the facing edges when one bar ends before the other
  // begins (the real-time order the explanation relies on), else the centre.
  function arrowEnd(id, other, box) {
    const [x, y] = barCentre(id, box);
    if (opEnd(id) <= opStart(other)) return [Math.max(xOf(opEnd(id), box), x), y];
    if (opEnd(other) <= opStart(id)) return [Math.min(xOf(opStart(id), box), x), y];
    return [x, y];
  }

  function barCentre(id, box) {
    const x0 = xOf(opStart(id), box);
    const x1 = Math.max(xOf(opEnd(id), box), x0 + 1.5);
    return [(x0 + x1) / 2, laneY(laneOfOp[id], box) + LANE_HEIGHT / 2];
  }

  function drawGutter(box) {
    context.fillStyle = palette.panel;
    context.fillRect(0, AXIS_HEIGHT, box.left - 1, box.bottom - AXIS_HEIGHT);
    context.fillRect(box.right, AXIS_HEIGHT, width - box.right, box.bottom - AXIS_HEIGHT);
    context.strokeStyle = palette.border;
    context.lineWidth = 1;
    context.beginPath();
    context.moveTo(box.left - 0.5, AXIS_HEIGHT);
    context.lineTo(box.left - 0.5, box.bottom);
    if (nodes.length > 0) {
      const y = box.laneTop - SECTION_GAP / 2 + 0.5;
      context.moveTo(0, y);
      context.lineTo(width, y);
    }
    context.stroke();
    context.font = LABEL_FONT;
    context.textBaseline = 'middle';
    context.textAlign = 'right';
    if (box.faultRow > 0) {
      context.fillStyle = palette.fault;
      context.fillText('faults', box.left - 8, AXIS_HEIGHT + box.faultRow / 2);
    }
    context.fillStyle = palette.ink;
    nodes.forEach((node, index) => context.fillText(node.name, box.left - 8, box.nodeTop + index * NODE_HEIGHT + NODE_HEIGHT / 2));
    context.save();
    context.beginPath();
    context.rect(0, box.laneTop, box.left, box.bottom - box.laneTop);
    context.clip();
    const [first, last] = visibleLanes(box);
    for (let index = first; index <= last; index++) {
      context.fillStyle = involvedLaneSet.has(index) ? palette.highlight : palette.muted;
      context.fillText(lanes[index].label, box.left - 8, laneY(index, box) + LANE_HEIGHT / 2);
    }
    context.restore();
    context.textAlign = 'left';
  }

  function drawAxis(box, ticks) {
    context.fillStyle = palette.panel;
    context.fillRect(0, 0, width, AXIS_HEIGHT);
    context.strokeStyle = palette.border;
    context.beginPath();
    context.moveTo(0, AXIS_HEIGHT - 0.5);
    context.lineTo(width, AXIS_HEIGHT - 0.5);
    context.stroke();
    context.font = SMALL_FONT;
    context.textBaseline = 'middle';
    context.fillStyle = palette.muted;
    context.textAlign = 'right';
    context.fillText(view.timeMode ? 'time' : 'event', box.left - 8, AXIS_HEIGHT / 2);
    context.textAlign = 'center';
    for (const tick of ticks) {
      const x = xOf(tick, box);
      if (x < box.left + 12 || x > box.right - 12) continue;
      context.fillText(view.timeMode ? formatDuration(tick - times[0]) : String(tick), x, AXIS_HEIGHT / 2);
    }
    context.textAlign = 'left';
  }

  function axisTicks(box) {
    const span = view.u1 - view.u0;
    const wanted = Math.max(2, Math.floor((box.right - box.left) / 110));
    const raw = span / wanted;
    const magnitude = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
    const unit = view.timeMode ? step : Math.max(1, Math.round(step));
    const origin = view.timeMode ? times[0] : 0;
    const [lo, hi] = domain();
    const ticks = [];
    const first = origin + Math.ceil((Math.max(view.u0, lo) - origin) / unit) * unit;
    for (let tick = first; tick <= Math.min(view.u1, hi); tick += unit) ticks.push(tick);
    return ticks;
  }

  function hatch(x, y, w, h) {
    context.save();
    context.beginPath();
    context.rect(x, y, w, h);
    context.clip();
    context.strokeStyle = 'rgba(255,255,255,0.55)';
    context.lineWidth = 1;
    context.beginPath();
    for (let at = x - h; at < x + w; at += 6) {
      context.moveTo(at, y + h);
      context.lineTo(at + h, y);
    }
    context.stroke();
    context.restore();
  }

  function roundRect(x, y, w, h, r) {
    context.beginPath();
    context.moveTo(x + r, y);
    context.arcTo(x + w, y, x + w, y + h, r);
    context.arcTo(x + w, y + h, x, y + h, r);
    context.arcTo(x, y + h, x, y, r);
    context.arcTo(x, y, x + w, y, r);
    context.closePath();
  }

  const charWidth = (() => {
    context.font = SMALL_FONT;
    return context.measureText('abcdefghij0123456789').width / 20;
  })();
  function fitText(label, room) {
    const fits = Math.floor(room / charWidth);
    if (fits >= label.length) return label;
    return fits > 2 ? `${label.slice(0, fits - 1)}…` : '';
  }

  // First index whose end reaches u0 and the index after the last whose start is before u1. Ends must
  // be ascending; starts too (they are, in a lane and in the fault list).
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

  function isDimmed(id) {
    return involved !== null && !involved.has(id) && !prefixRank.has(id);
  }

  // ---------------------------------------------------------------- hovering

  function hitTest(x, y) {
    const box = layout();
    if (x < box.left || x > box.right || y < AXIS_HEIGHT) return null;
    const u = uOf(x, box);
    const slack = (3 / (box.right - box.left)) * (view.u1 - view.u0);
    if (y < AXIS_HEIGHT + box.faultRow) return hitFaults(u, slack);
    if (y < box.nodeTop + nodes.length * NODE_HEIGHT) return hitNode(Math.floor((y - box.nodeTop) / NODE_HEIGHT), u);
    if (y < box.laneTop) return null;
    const index = Math.floor((y - box.laneTop + view.scrollY) / LANE_HEIGHT);
    if (index >= lanes.length) return hitFaults(u, slack);
    return hitOp(lanes[index], u, slack) ?? hitFaults(u, slack);
  }

  function hitOp(lane, u, slack) {
    const [from, to] = visibleRange(lane.ids.length, (k) => opEnd(lane.ids[k]), u - slack, u + slack, (k) => opStart(lane.ids[k]));
    let best = null;
    let bestDistance = Infinity;
    for (let k = from; k < to; k++) {
      const id = lane.ids[k];
      const distance = Math.max(0, opStart(id) - u, u - opEnd(id));
      if (distance < bestDistance) {
        best = id;
        bestDistance = distance;
      }
    }
    if (best !== null) return { op: best };
    // Past the bars: the latest indeterminate op whose tail runs here.
    if (lane.tailFrom < 0 || u < opEnd(lane.tailFrom)) return null;
    for (let k = lane.ids.length - 1; k >= 0; k--) {
      const id = lane.ids[k];
      if (ops.result[id] === INFO && opEnd(id) <= u) return { op: id };
    }
    return null;
  }

  function hitFaults(u, slack) {
    const [from, to] = visibleRange(faults.at.length, (i) => faultX(i), u - slack, u + slack);
    if (from >= to) return null;
    const list = [];
    for (let i = from; i < to; i++) list.push(i);
    return { faults: list };
  }

  function hitNode(index, u) {
    const node = nodes[index];
    if (!node) return null;
    let hit = -1;
    for (let s = 0; s < node.segments.length; s += 4) {
      if (startOf(node.segments[s]) <= u && u <= segmentEnd(node.segments[s + 1], node.source)) hit = s;
    }
    return hit < 0 ? null : { node: index, segment: hit };
  }

  function showTooltip(hit, x, y) {
    tooltip.replaceChildren();
    tooltip.removeAttribute('data-op');
    if (hit.op !== undefined) describeOp(hit.op);
    else if (hit.faults) describeFaults(hit.faults);
    else describeSegment(nodes[hit.node], hit.segment);
    tooltip.hidden = false;
    const tipWidth = tooltip.offsetWidth;
    const tipHeight = tooltip.offsetHeight;
    const left = x + 16 + tipWidth > window.innerWidth ? Math.max(4, x - 16 - tipWidth) : x + 16;
    const top = y + 16 + tipHeight > window.innerHeight ? Math.max(4, y - 12 - tipHeight) : y + 16;
    tooltip.style.left = `${left}px`;
    tooltip.style.top = `${top}px`;
  }

  function addTitle(title) {
    const element = document.createElement('div');
    element.className = 'title';
    element.textContent = title;
    tooltip.append(element);
  }
  function addRows(rows) {
    const list = document.createElement('dl');
    for (const [name, value] of rows) {
      if (value === undefined || value === null || value === '') continue;
      const term = document.createElement('dt');
      term.textContent = name;
      const detail = document.createElement('dd');
      detail.textContent = value;
      list.append(term, detail);
    }
    tooltip.append(list);
  }
  function addNote(note) {
    const element = document.createElement('div');
    element.className = 'finding';
    element.textContent = note;
    tooltip.append(element);
  }

  function describeOp(id) {
    const columns = ops.columns;
    tooltip.dataset.op = String(id);
    addTitle(`${text(columns.f[id])} · process ${data.processes[columns.lane[id]]} · op ${id}`);
    const output = columns.output[id];
    const complete = ops.complete[id];
    const valueRows = output === 0 ? [['value', text(columns.input[id])]] : [['input', text(columns.input[id])], ['output', text(output)]];
    addRows([
      ['key', columns.key ? text(columns.key[id]) : ''],
      ...valueRows,
      ['result', resultText(id)],
      ['node', columns.node ? text(columns.node[id]) : ''],
      ['epoch', columns.epoch && columns.epoch[id] >= 0 ? String(columns.epoch[id]) : ''],
      ['events', `${ops.invoke[id]} → ${complete < 0 ? 'never completed' : complete}`],
      ['time', timeText(ops.invoke[id], complete)],
      ['error', ops.errors.has(id) ? text(ops.errors.get(id)) : ''],
    ]);
    const rank = prefixRank.get(id);
    if (rank !== undefined) addNote(`#${rank + 1} in the longest linearizable prefix`);
    addFindingNotes(findingsOfOp.get(id));
  }

  function resultText(id) {
    const result = ops.result[id];
    if (result !== INFO) return RESULT_NAMES[result];
    return ops.complete[id] < 0 ? 'info: never completed, may take effect any time' : 'info: indeterminate, may take effect any time after invocation';
  }

  function timeText(invoke, complete) {
    if (!times || Number.isNaN(times[invoke])) return '';
    const origin = times[0];
    const started = formatDuration(times[invoke] - origin);
    if (complete < 0 || Number.isNaN(times[complete])) return `${started} → ?`;
    return `${started} → ${formatDuration(times[complete] - origin)} (${formatDuration(times[complete] - times[invoke])})`;
  }

  function describeFaults(list) {
    addTitle(list.length === 1 ? 'fault' : `${list.length} faults`);
    for (const i of list.slice(0, 6)) {
      const event = faults.at[i];
      addRows([
        ['f', text(faults.f[i])],
        ['process', text(faults.process[i])],
        ['type', EVENT_TYPE_NAMES[faults.type[i]]],
        ['value', text(faults.value[i])],
        ['event', String(event)],
        ['time', times && !Number.isNaN(times[event]) ? formatDuration(times[event] - times[0]) : ''],
      ]);
      addFindingNotes(findingsOfEvent.get(event));
    }
    if (list.length > 6) addNote(`and ${list.length - 6} more here; zoom in to tell them apart`);
  }

  function describeSegment(node, s) {
    const [start, end, role, epoch] = node.segments.slice(s, s + 4);
    if (node.source === 'ops') {
      addTitle(`${node.name} acknowledged operations`);
      addRows([
        ['epoch', epoch >= 0 ? String(epoch) : 'unknown'],
        ['events', `${start} → ${end}`],
        ['role', 'not annotated: inferred from ok operations'],
      ]);
      return;
    }
    addTitle(`${node.name} · ${text(role)}`);
    addRows([
      ['epoch', epoch >= 0 ? String(epoch) : 'unknown'],
      ['events', `${start} → ${end >= eventCount ? 'end' : end}`],
    ]);
    addFindingNotes(findingsOfEvent.get(start));
  }

  function addFindingNotes(indices) {
    for (const index of indices ?? []) {
      const finding = findings[index];
      addNote(`${finding.kind}${finding.key === null ? '' : ` (key ${finding.key})`}: ${finding.reason}`);
    }
  }

  function formatDuration(nanos) {
    const magnitude = Math.abs(nanos);
    if (magnitude < 1e3) return `${trim(nanos)} ns`;
    if (magnitude < 1e6) return `${trim(nanos / 1e3)} µs`;
    if (magnitude < 1e9) return `${trim(nanos / 1e6)} ms`;
    return `${trim(nanos / 1e9)} s`;
  }
  function trim(n) {
    return String(Number(n.toPrecision(4)));
  }

  // ---------------------------------------------------------------- zooming, panning, focusing

  function fit() {
    [view.u0, view.u1] = domain();
    view.scrollY = 0;
  }

  function zoomAt(u, factor) {
    const [lo, hi] = domain();
    const minimum = view.timeMode ? (hi - lo) / 1e7 : 4;
    const span = Math.min(Math.max((view.u1 - view.u0) * factor, minimum), (hi - lo) * 1.2);
    const ratio = (u - view.u0) / (view.u1 - view.u0);
    view.u0 = u - ratio * span;
    view.u1 = view.u0 + span;
    clampView();
  }

  function panBy(du) {
    view.u0 += du;
    view.u1 += du;
    clampView();
  }

  function clampView() {
    const [lo, hi] = domain();
    const span = view.u1 - view.u0;
    const margin = span * 0.1;
    if (view.u0 < lo - margin) [view.u0, view.u1] = [lo - margin, lo - margin + span];
    if (view.u1 > hi + margin) [view.u0, view.u1] = [hi + margin - span, hi + margin];
  }

  function select(index) {
    view.selected = index;
    const finding = findings[index];
    involved = finding ? new Set(finding.ops) : null;
    prefixRank = new Map((finding ? finding.prefix : []).map((id, rank) => [id, rank]));
    involvedLaneSet = new Set(finding ? finding.ops.map((id) => laneOfOp[id]) : []);
    involvedEvents = new Set(finding ? finding.events : []);
    for (const item of findingList.querySelectorAll('li[data-finding]')) {
      item.setAttribute('aria-selected', String(Number(item.dataset.finding) === index));
    }
    if (finding && finding.ops.length + finding.events.length > 0) focusOn(finding.ops, finding.events);
    requestDraw();
  }

  function focusOn(ids, events) {
    const box = layout();
    let lo = Infinity;
    let hi = -Infinity;
    let top = Infinity;
    let bottom = -Infinity;
    for (const event of events) {
      lo = Math.min(lo, startOf(event));
      hi = Math.max(hi, endOf(event));
    }
    for (const id of ids) {
      lo = Math.min(lo, opStart(id));
      hi = Math.max(hi, opEnd(id));
      top = Math.min(top, laneOfOp[id]);
      bottom = Math.max(bottom, laneOfOp[id]);
    }
    const [start, end] = domain();
    const pad = Math.max((hi - lo) * 0.35, view.timeMode ? (end - start) / 1e4 : 6);
    view.u0 = lo - pad;
    view.u1 = hi + pad;
    if (ids.length === 0) return;
    const room = box.bottom - box.laneTop;
    const middle = ((top + bottom + 1) / 2) * LANE_HEIGHT;
    view.scrollY = Math.min(top * LANE_HEIGHT, middle - room / 2);
  }

  // ---------------------------------------------------------------- the page around the canvas

  function fillSummary() {
    const summary = document.getElementById('summary');
    if (data.check) {
      const badge = document.createElement('span');
      badge.className = `verdict ${data.check.verdict}`;
      badge.textContent = data.check.verdict;
      badge.title = `model: ${data.check.model}`;
      summary.append(badge);
    }
    const facts = [
      count(ops.count, 'operation'),
      count(lanes.length, 'process', 'processes'),
      count(eventCount, 'event'),
      faults.at.length > 0 ? count(faults.at.length, 'fault event') : '',
      nodes.length > 0 ? count(nodes.length, 'node') : '',
      data.check ? `model ${data.check.model}` : '',
      count(findings.length, 'finding'),
    ];
    for (const fact of facts.filter(Boolean)) {
      const element = document.createElement('span');
      element.textContent = fact;
      summary.append(element);
    }
  }

  function count(n, one, many = `${one}s`) {
    return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
  }

  const SHOWN_FINDINGS = 1000;
  function fillFindings() {
    if (findings.length === 0) {
      const empty = document.createElement('p');
      empty.className = 'empty';
      empty.textContent =
        data.check && data.check.verdict === 'valid'
          ? `Linearizable (${data.check.model}); no anomaly named.`
          : 'No anomaly named.';
      findingList.replaceWith(empty);
      return;
    }
    findings.slice(0, SHOWN_FINDINGS).forEach((finding, index) => {
      const item = document.createElement('li');
      item.dataset.finding = String(index);
      item.setAttribute('aria-selected', 'false');
      item.tabIndex = 0;
      const kind = document.createElement('span');
      kind.className = `kind ${finding.kind.replace(/[^a-z-]/g, '-')}`;
      kind.textContent = finding.kind;
      item.append(kind);
      if (finding.key !== null) {
        const key = document.createElement('span');
        key.className = 'key';
        key.textContent = `key ${finding.key}`;
        item.append(key);
      }
      const reason = document.createElement('div');
      reason.className = 'reason';
      reason.textContent = finding.reason;
      const opsLine = document.createElement('div');
      opsLine.className = 'ops';
      opsLine.textContent = [
        finding.ops.length > 0 ? `ops ${finding.ops.slice(0, 12).join(', ')}${finding.ops.length > 12 ? ', …' : ''}` : '',
        finding.events.length > 0 ? `events ${finding.events.slice(0, 12).join(', ')}` : '',
      ]
        .filter(Boolean)
        .join(' · ');
      item.append(reason, opsLine);
      findingList.append(item);
    });
    if (findings.length > SHOWN_FINDINGS) {
      const more = document.createElement('li');
      more.className = 'more';
      more.textContent = `and ${findings.length - SHOWN_FINDINGS} more (all are highlighted on the timeline)`;
      findingList.append(more);
    }
    const toggle = (event) => {
      const item = event.target.closest('li[data-finding]');
      if (!item) return;
      const index = Number(item.dataset.finding);
      select(view.selected === index ? -1 : index);
    };
    findingList.addEventListener('click', toggle);
    findingList.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        toggle(event);
      }
    });
  }

  function fillControls() {
    const timeAxis = document.getElementById('time-axis');
    if (!data.timeAxis) {
      timeAxis.disabled = true;
      const label = document.getElementById('time-axis-toggle');
      label.classList.add('disabled');
      label.title = times ? 'Some events lack a time or times go backwards: the event order is the truth.' : 'The history has no times.';
    }
    timeAxis.addEventListener('change', () => {
      const [lo, hi] = domain();
      const from = Math.max(0, Math.min(eventCount - 1, Math.floor(positionToEvent((view.u0 - lo) / (hi - lo)))));
      const to = Math.max(0, Math.min(eventCount - 1, Math.ceil(positionToEvent((view.u1 - lo) / (hi - lo)))));
      view.timeMode = timeAxis.checked;
      view.u0 = startOf(from);
      view.u1 = Math.max(endOf(to), view.u0 + 1);
      requestDraw();
    });
    const laneMode = document.getElementById('lane-mode');
    laneMode.value = view.laneMode;
    if (!keyed) laneMode.querySelector('option[value="key"]').remove();
    laneMode.addEventListener('change', () => {
      view.laneMode = laneMode.value;
      lanes = buildLanes(view.laneMode);
      laneOfOp = lanes.laneOf;
      if (view.selected >= 0) involvedLaneSet = new Set(findings[view.selected].ops.map((id) => laneOfOp[id]));
      resize();
    });
    for (const button of document.querySelectorAll('#controls button[data-action]')) {
      button.addEventListener('click', () => act(button.dataset.action));
    }
    const shown = {
      fault: faults.at.length > 0,
      info: ops.result.includes(INFO),
      fail: ops.result.includes(FAIL),
      highlight: findingsOfOp.size + findingsOfEvent.size > 0,
      served: nodes.some((node) => node.source === 'ops'),
    };
    for (const role of KNOWN_ROLES) shown[role] = nodes.some((node) => node.source === 'roles' && hasRole(node, role));
    for (const item of document.querySelectorAll('[data-legend]')) {
      if (shown[item.dataset.legend] === false) item.hidden = true;
    }
  }

  // Where a fraction of the current axis falls, in events: keeps the same stretch of history in view
  // when switching between the event and time axes.
  function positionToEvent(fraction) {
    if (!view.timeMode) return fraction * eventCount;
    const [lo, hi] = domain();
    const target = lo + fraction * (hi - lo);
    let low = 0;
    let high = eventCount - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (times[mid] < target) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  function hasRole(node, role) {
    for (let s = 2; s < node.segments.length; s += 4) if (text(node.segments[s]) === role) return true;
    return false;
  }

  function act(action) {
    const middle = (view.u0 + view.u1) / 2;
    if (action === 'fit') fit();
    if (action === 'zoom-in') zoomAt(middle, 0.5);
    if (action === 'zoom-out') zoomAt(middle, 2);
    requestDraw();
  }

  // ---------------------------------------------------------------- input

  function resize() {
    const bounds = chart.getBoundingClientRect();
    const box = layout();
    const content = box.laneTop + lanes.length * LANE_HEIGHT + 8;
    const room = Math.max(240, window.innerHeight - bounds.top - 24);
    chart.style.height = `${Math.min(content, room)}px`;
    width = chart.clientWidth;
    height = chart.clientHeight;
    canvas.width = Math.round(width * devicePixelRatio);
    canvas.height = Math.round(height * devicePixelRatio);
    draw();
  }

  function local(event) {
    const bounds = canvas.getBoundingClientRect();
    return [event.clientX - bounds.left, event.clientY - bounds.top];
  }

  let drag = null;
  canvas.addEventListener('mousedown', (event) => {
    drag = { x: event.clientX, y: event.clientY, u0: view.u0, u1: view.u1, scrollY: view.scrollY };
    canvas.classList.add('dragging');
  });
  window.addEventListener('mouseup', () => {
    drag = null;
    canvas.classList.remove('dragging');
  });
  canvas.addEventListener('mousemove', (event) => {
    const [x, y] = local(event);
    if (drag) {
      const box = layout();
      const du = ((event.clientX - drag.x) / (box.right - box.left)) * (drag.u1 - drag.u0);
      view.u0 = drag.u0 - du;
      view.u1 = drag.u1 - du;
      clampView();
      view.scrollY = drag.scrollY - (event.clientY - drag.y);
      tooltip.hidden = true;
      requestDraw();
      return;
    }
    const hit = hitTest(x, y);
    const before = view.hover && view.hover.op;
    view.hover = hit;
    if (hit) showTooltip(hit, event.clientX, event.clientY);
    else tooltip.hidden = true;
    if ((hit && hit.op) !== before) requestDraw();
  });
  canvas.addEventListener('mouseleave', () => {
    tooltip.hidden = true;
    if (view.hover) {
      view.hover = null;
      requestDraw();
    }
  });
  canvas.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const box = layout();
      const scale = event.deltaMode === 1 ? 16 : 1;
      if (event.shiftKey) {
        view.scrollY += (event.deltaY || event.deltaX) * scale;
      } else if (Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
        panBy((event.deltaX * scale * (view.u1 - view.u0)) / (box.right - box.left));
      } else {
        const [x] = local(event);
        zoomAt(uOf(x, box), Math.exp(event.deltaY * scale * 0.0015));
      }
      requestDraw();
    },
    { passive: false },
  );
  canvas.addEventListener('dblclick', (event) => {
    const [x] = local(event);
    zoomAt(uOf(x, layout()), 0.4);
    requestDraw();
  });
  window.addEventListener('keydown', (event) => {
    // Keys belong to the element that takes typing or choosing; a ticked checkbox keeps none.
    if (event.target instanceof Element && event.target.closest('select, textarea, input:not([type="checkbox"])')) return;
    const span = view.u1 - view.u0;
    const actions = {
      '0': () => fit(),
      '+': () => zoomAt((view.u0 + view.u1) / 2, 0.5),
      '=': () => zoomAt((view.u0 + view.u1) / 2, 0.5),
      '-': () => zoomAt((view.u0 + view.u1) / 2, 2),
      ArrowLeft: () => panBy(-span * 0.2),
      ArrowRight: () => panBy(span * 0.2),
      ArrowUp: () => (view.scrollY -= LANE_HEIGHT * 3),
      ArrowDown: () => (view.scrollY += LANE_HEIGHT * 3),
      Escape: () => select(-1),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
    requestDraw();
  });
  new ResizeObserver(() => resize()).observe(document.body);

  // What the page drew in its last frame, for tests and for anyone scripting the page.
  function publishSummary() {
    window.__leaderlog = {
      operations: ops.count,
      lanes: lanes.map((lane) => lane.label),
      nodes: nodes.map((node) => ({ name: node.name, source: node.source })),
      faults: faults.at.length,
      findings: findings.map((finding) => ({ kind: finding.kind, ops: [...finding.ops], events: [...finding.events] })),
      selected: view.selected,
      timeMode: view.timeMode,
      laneMode: view.laneMode,
      drawn: {
        lanes: drawn.lanes,
        bars: drawn.bars,
        highlighted: [...drawn.highlighted],
        highlightedEvents: [...drawn.highlightedEvents].sort((a, b) => a - b),
        faults: drawn.faults,
        nodeSegments: drawn.nodeSegments,
      },
      locateOp,
      locateEvent,
      select,
    };
    document.body.dataset.frames = String(Number(document.body.dataset.frames ?? 0) + 1);
  }

  /** An operation's bar in viewport coordinates (its centre and edges), or null when it is off screen. */
  function locateOp(id) {
    const box = layout();
    const index = laneOfOp[id];
    const [first, last] = visibleLanes(box);
    const left = xOf(opStart(id), box);
    const right = Math.max(xOf(opEnd(id), box), left + 1.5);
    const top = laneY(index, box) + (LANE_HEIGHT - BAR_HEIGHT) / 2;
    if (index < first || index > last || right < box.left || left > box.right || top < box.laneTop || top > box.bottom) return null;
    const origin = canvas.getBoundingClientRect();
    return {
      x: origin.left + (left + right) / 2,
      y: origin.top + top + BAR_HEIGHT / 2,
      left: origin.left + left,
      right: origin.left + right,
      top: origin.top + top,
      bottom: origin.top + top + BAR_HEIGHT,
    };
  }

  /** Where an event sits in a row ("faults" or a node's name), in viewport coordinates; null off screen. */
  function locateEvent(event, row) {
    const box = layout();
    const u = view.timeMode ? times[event] : event + 0.5;
    const x = xOf(u, box);
    const node = nodes.findIndex((candidate) => candidate.name === row);
    const y = row === 'faults' ? AXIS_HEIGHT + box.faultRow / 2 : node >= 0 ? box.nodeTop + node * NODE_HEIGHT + NODE_HEIGHT / 2 : NaN;
    if (Number.isNaN(y) || x < box.left || x > box.right) return null;
    const origin = canvas.getBoundingClientRect();
    return { x: origin.left + x, y: origin.top + y };
  }

  fillSummary();
  fillFindings();
  fillControls();
  fit();
  resize();
})();
