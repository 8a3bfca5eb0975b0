// The history embedded by timeline-data.ts, decoded into typed arrays the drawing walks quickly, and
// the findings: everything the page can point at (named anomalies, and partitions the checker could
// not prove valid).

const OK = 0;
const FAIL = 1;
const INFO = 2;
const RESULT_NAMES = ['ok', 'fail', 'info'];
const RESULT_CODES = { o: OK, f: FAIL, i: INFO };
const EVENT_TYPE_NAMES = { i: 'invoke', o: 'ok', f: 'fail', n: 'info' };

function decodeTimeline(data) {
  const findings = collectFindings(data);
  return {
    text: (position) => data.strings[position] ?? '',
    eventCount: data.eventCount,
    processes: data.processes,
    ops: decodeOperations(data.ops),
    keyed: data.ops.key !== null,
    times: decodeTimes(data.eventTimes, data.eventCount),
    timeAxis: data.timeAxis,
    faults: data.faults,
    nodes: data.nodes.map((lane) => ({ name: data.strings[lane.node], source: lane.source, segments: lane.segments })),
    check: data.check,
    verdict: data.verdict,
    findings,
    findingsOfOp: indexFindings(findings, 'ops'),
    findingsOfEvent: indexFindings(findings, 'events'),
  };
}

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

/** Each event's time (NaN where missing), from the deltas. */
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

function collectFindings(data) {
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
    list.push({ kind: anomaly.kind, key: anomaly.key, ops: anomaly.ops, events: anomaly.events, window: anomaly.window, prefix: [], ordered: true, reason: anomaly.reason });
  }
  return list;
}

/** Which findings each operation (field "ops") or non-client event (field "events") takes part in. */
function indexFindings(list, field) {
  const index = new Map();
  list.forEach((finding, i) => {
    for (const id of finding[field]) {
      if (!index.has(id)) index.set(id, []);
      index.get(id).push(i);
    }
  });
  return index;
}
