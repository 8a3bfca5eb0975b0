// The history embedded by timeline-data.ts, decoded into typed arrays the drawing walks quickly, and
// the findings: everything the page can point at (named anomalies, and partitions the checker could
// not prove valid).
import type { CheckSummary, FaultColumns, OpColumns, TimelineData } from '../timeline-data.ts';

export const OK = 0;
export const FAIL = 1;
export const INFO = 2;
export const RESULT_NAMES = ['ok', 'fail', 'info'];
const RESULT_CODES: Readonly<Record<string, number>> = { o: OK, f: FAIL, i: INFO };
export const EVENT_TYPE_NAMES: Readonly<Record<string, string>> = { i: 'invoke', o: 'ok', f: 'fail', n: 'info' };

/** The operations: where each begins and ends on the event axis, its result code, its error if any. */
export interface Operations {
  readonly count: number;
  readonly invoke: Int32Array;
  /** -1 for an op the history never completes. */
  readonly complete: Int32Array;
  /** OK, FAIL or INFO. */
  readonly result: Uint8Array;
  /** Op id to the error's position in the strings. */
  readonly errors: ReadonlyMap<number, number>;
  readonly columns: OpColumns;
}

export interface NodeRow {
  readonly name: string;
  readonly source: 'roles' | 'ops';
  /** Flat quadruples: start event, end event, role (string position), epoch (-1 when unknown). */
  readonly segments: readonly number[];
}

/** Something the page can point at: a named anomaly, or a partition the checker could not prove valid. */
export interface Finding {
  readonly kind: string;
  readonly key: string | null;
  readonly ops: readonly number[];
  readonly events: readonly number[];
  /** Events from..to to zoom to, when narrower than the events' span. */
  readonly window: readonly [number, number] | null;
  /** The longest linearizable prefix, for an invalid partition. */
  readonly prefix: readonly number[];
  /** The ops are in the order the explanation walks them, so the page joins them with arrows. */
  readonly ordered: boolean;
  readonly reason: string;
}

export interface TimelineModel {
  /** The string at a position in the table; '' where absent. */
  readonly text: (position: number) => string;
  readonly eventCount: number;
  readonly processes: readonly number[];
  readonly ops: Operations;
  readonly keyed: boolean;
  /** Each event's time (NaN where missing), or null when the history has no times. */
  readonly times: Float64Array | null;
  readonly timeAxis: boolean;
  readonly faults: FaultColumns;
  readonly nodes: readonly NodeRow[];
  readonly check: CheckSummary | null;
  readonly verdict: TimelineData['verdict'];
  readonly findings: readonly Finding[];
  readonly findingsOfOp: ReadonlyMap<number, readonly number[]>;
  readonly findingsOfEvent: ReadonlyMap<number, readonly number[]>;
}

export function decodeTimeline(data: TimelineData): TimelineModel {
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
    nodes: data.nodes.map((lane) => ({ name: data.strings[lane.node] ?? '', source: lane.source, segments: lane.segments })),
    check: data.check,
    verdict: data.verdict,
    findings,
    findingsOfOp: indexFindings(findings, 'ops'),
    findingsOfEvent: indexFindings(findings, 'events'),
  };
}

function decodeOperations(columns: OpColumns): Operations {
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
  const errors = new Map<number, number>();
  for (let i = 0; i < columns.errors.length; i += 2) errors.set(columns.errors[i], columns.errors[i + 1]);
  return { count, invoke, complete, result, errors, columns };
}

/** Each event's time (NaN where missing), from the deltas. */
function decodeTimes(deltas: TimelineData['eventTimes'], count: number): Float64Array | null {
  if (!deltas) return null;
  const decoded = new Float64Array(count);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const delta = deltas[i];
    if (delta === null) {
      decoded[i] = NaN;
    } else {
      at += delta;
      decoded[i] = at;
    }
  }
  return decoded;
}

function collectFindings(data: TimelineData): Finding[] {
  const list: Finding[] = [];
  for (const partition of data.check ? data.check.unproved : []) {
    if (partition.verdict === 'invalid') {
      const state = partition.stateAfterPrefix === null ? '' : ` (state then: ${partition.stateAfterPrefix})`;
      list.push({
        kind: 'not linearizable',
        key: partition.key,
        ops: partition.stuck,
        events: [],
        window: null,
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
        window: null,
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
      window: anomaly.window,
      prefix: [],
      ordered: true,
      reason: anomaly.reason,
    });
  }
  return list;
}

/** Which findings each operation (field "ops") or non-client event (field "events") takes part in. */
function indexFindings(list: readonly Finding[], field: 'ops' | 'events'): Map<number, number[]> {
  const index = new Map<number, number[]>();
  list.forEach((finding, i) => {
    for (const id of finding[field]) {
      let findings = index.get(id);
      if (!findings) {
        findings = [];
        index.set(id, findings);
      }
      findings.push(i);
    }
  });
  return index;
}
