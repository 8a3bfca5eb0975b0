import type { Anomaly } from '../anomaly.ts';
import type { Event } from '../event.ts';
import type { History, Operation } from '../operation.ts';
import type { CheckResult, PartitionVerdict } from '../verdict.ts';
import { describeBriefly } from './describe-briefly.ts';
import type { NodeLane } from './node-lanes.ts';
import { isRoleAnnotation, nodeLanes } from './node-lanes.ts';
import { StringTable } from './string-table.ts';

export interface TimelineInput {
  readonly history: History;
  readonly anomalies?: readonly Anomaly[];
  /** For an invalid verdict the page highlights the stuck operations and shows the longest prefix. */
  readonly check?: CheckResult;
  /** The judge's verdict, for a page whose history has no linearizability check (list-append, set). */
  readonly verdict?: { readonly verdict: string; readonly model: string };
  readonly title?: string;
  /** The history's file name. */
  readonly source?: string;
}

/**
 * What the page embeds: the history as columns of small numbers, every text interned once in `strings`
 * (position 0 = absent), positions delta-coded. A 1M-op history stays tens of megabytes where one object
 * per operation would be hundreds. page/history-model.ts decodes it.
 */
export interface TimelineData {
  readonly strings: readonly (string | null)[];
  /** History.events.length: the x axis runs over event positions, the history's real-time order. */
  readonly eventCount: number;
  /** The client processes, ascending: one lane each. */
  readonly processes: readonly number[];
  readonly ops: OpColumns;
  /** Each event's time minus the previous timed event's (the first: its time); null where missing. */
  readonly eventTimes: readonly (number | null)[] | null;
  /** Every event has a time and times never go backwards, so a time axis tells the truth. */
  readonly timeAxis: boolean;
  readonly faults: FaultColumns;
  readonly nodes: readonly NodeLane[];
  readonly anomalies: readonly AnomalyEntry[];
  readonly check: CheckSummary | null;
  /** The badge: the check's verdict, else the judge's. */
  readonly verdict: { readonly verdict: string; readonly model: string } | null;
}

/** Operation columns, indexed by operation id. String columns hold positions in `strings`. */
export interface OpColumns {
  /** Index into `processes`. */
  readonly lane: number[];
  readonly f: number[];
  readonly key: number[] | null;
  /** invokeIndex minus the previous op's: ops are in invocation order, so these are small. */
  readonly invoke: number[];
  /** completeIndex minus invokeIndex; 0 for an op the history never completes. */
  readonly span: number[];
  /** One letter per op: o ok, f fail, i info. */
  readonly result: string;
  readonly input: number[];
  /** 0 when the output reads the same as the input (writes, indeterminate ops). */
  readonly output: number[];
  readonly node: number[] | null;
  /** -1 where unknown. */
  readonly epoch: number[] | null;
  /** Pairs of op id and error: few ops carry one. */
  readonly errors: number[];
}

/** Non-client events other than role annotations (nemesis faults mostly), one vertical marker each. */
export interface FaultColumns {
  readonly at: number[];
  readonly process: number[];
  /** One letter per marker: the event type's initial (i invoke, o ok, f fail, n info). */
  readonly type: string;
  readonly f: number[];
  readonly value: number[];
}

interface AnomalyEntry {
  readonly kind: string;
  readonly key: string | null;
  readonly ops: readonly number[];
  /** Non-client events in the proof (role annotations of a dual leader), as History.events positions. */
  readonly events: readonly number[];
  /** Events from..to to zoom to, when narrower than the events' span. */
  readonly window: readonly [number, number] | null;
  readonly reason: string;
}

export interface CheckSummary {
  readonly verdict: string;
  readonly model: string;
  readonly partitions: number;
  /** Partitions not proved valid, with their evidence. */
  readonly unproved: readonly UnprovedPartition[];
}

interface UnprovedPartition {
  readonly key: string | null;
  readonly verdict: string;
  readonly operations: number;
  /** invalid: the operations none of which can come next after the longest prefix. */
  readonly stuck: readonly number[];
  /** invalid: the longest linearizable prefix, in linearization order. */
  readonly prefix: readonly number[];
  readonly stateAfterPrefix: string | null;
  /** unknown: which budget ran out. */
  readonly exhausted: string | null;
}

const RESULT_LETTER = { ok: 'o', fail: 'f', info: 'i' } as const;
const TYPE_LETTER = { invoke: 'i', ok: 'o', fail: 'f', info: 'n' } as const;

export function timelineData(input: TimelineInput): TimelineData {
  const { history } = input;
  const strings = new StringTable();
  const { processes, ops } = opColumns(history.operations, strings);
  const faults = faultColumns(history, strings);
  const nodes = nodeLanes(history, strings);
  const known = (id: number) => Number.isInteger(id) && id >= 0 && id < history.operations.length;
  const knownEvent = (event: number) => Number.isInteger(event) && event >= 0 && event < history.events.length;
  const anomalies = (input.anomalies ?? []).map((anomaly) => ({
    kind: anomaly.kind,
    key: anomaly.key === undefined ? null : describeBriefly(anomaly.key),
    ops: anomaly.ops.filter(known),
    events: (anomaly.events ?? []).filter(knownEvent),
    window:
      anomaly.window && knownEvent(anomaly.window.from) && knownEvent(anomaly.window.to)
        ? ([anomaly.window.from, anomaly.window.to] as const)
        : null,
    reason: anomaly.reason,
  }));
  const check = input.check ? checkSummary(input.check, known) : null;
  const { deltas, monotonic } = eventTimes(history.events);
  return {
    strings: strings.strings,
    eventCount: history.events.length,
    processes,
    ops,
    eventTimes: deltas,
    timeAxis: monotonic,
    faults,
    nodes,
    anomalies,
    check,
    verdict: input.check ? { verdict: input.check.verdict, model: input.check.model } : (input.verdict ?? null),
  };
}

// One pass over the operations: at a million of them, each pass costs seconds. Columns nobody uses
// (no op has a key, a node or an epoch) are dropped at the end.
function opColumns(operations: readonly Operation[], strings: StringTable): { processes: number[]; ops: OpColumns } {
  const seen = new Map<number, number>();
  const lane: number[] = [];
  const f: number[] = [];
  const key: number[] = [];
  const invoke: number[] = [];
  const span: number[] = [];
  const results: string[] = [];
  const input: number[] = [];
  const output: number[] = [];
  const node: number[] = [];
  const epoch: number[] = [];
  const errors: number[] = [];
  let previousInvoke = 0;
  let keyed = false;
  let withNode = false;
  let withEpoch = false;
  for (const op of operations) {
    let seenAs = seen.get(op.process);
    if (seenAs === undefined) {
      seenAs = seen.size;
      seen.set(op.process, seenAs);
    }
    lane.push(seenAs);
    f.push(strings.ref(op.f));
    key.push(op.key === undefined ? 0 : strings.refValue(op.key));
    keyed ||= op.key !== undefined;
    invoke.push(op.invokeIndex - previousInvoke);
    previousInvoke = op.invokeIndex;
    span.push(op.completeIndex < 0 ? 0 : op.completeIndex - op.invokeIndex);
    results.push(RESULT_LETTER[op.result]);
    const asked = strings.refValue(op.input);
    input.push(asked);
    const seenValue = op.output === op.input ? asked : strings.refValue(op.output);
    output.push(seenValue === asked ? 0 : seenValue);
    node.push(strings.ref(op.node));
    withNode ||= op.node !== undefined;
    epoch.push(op.epoch ?? -1);
    withEpoch ||= op.epoch !== undefined;
    if (op.error !== undefined) errors.push(op.id, strings.refValue(op.error));
  }
  // Lanes were numbered as processes appeared; the page orders them by process.
  const processes = [...seen.keys()].sort((a, b) => a - b);
  const laneOf = new Array<number>(seen.size);
  processes.forEach((process, index) => {
    laneOf[seen.get(process) as number] = index;
  });
  for (let i = 0; i < lane.length; i++) lane[i] = laneOf[lane[i]];
  const ops: OpColumns = {
    lane,
    f,
    key: keyed ? key : null,
    invoke,
    span,
    result: results.join(''),
    input,
    output,
    node: withNode ? node : null,
    epoch: withEpoch ? epoch : null,
    errors,
  };
  return { processes, ops };
}

function faultColumns(history: History, strings: StringTable): FaultColumns {
  const at: number[] = [];
  const process: number[] = [];
  const types: string[] = [];
  const f: number[] = [];
  const value: number[] = [];
  for (const index of history.markers) {
    const event = history.events[index];
    if (isRoleAnnotation(event)) continue;
    at.push(index);
    process.push(strings.ref(String(event.process)));
    types.push(TYPE_LETTER[event.type]);
    f.push(strings.ref(event.f));
    value.push(strings.refValue(event.value));
  }
  return { at, process, type: types.join(''), f, value };
}

function checkSummary(check: CheckResult, known: (id: number) => boolean): CheckSummary {
  return {
    verdict: check.verdict,
    model: check.model,
    partitions: check.partitions.length,
    unproved: check.partitions.filter((p) => p.verdict !== 'valid').map((p) => unprovedPartition(p, known)),
  };
}

function unprovedPartition(partition: PartitionVerdict, known: (id: number) => boolean): UnprovedPartition {
  return {
    key: partition.key === undefined ? null : describeBriefly(partition.key),
    verdict: partition.verdict,
    operations: partition.operations,
    stuck: (partition.stuck ?? []).filter(known),
    prefix: (partition.longestPrefix ?? []).filter(known),
    stateAfterPrefix: partition.stateAfterPrefix ?? null,
    exhausted: partition.exhausted ?? null,
  };
}

function eventTimes(events: readonly Event[]): { deltas: (number | null)[] | null; monotonic: boolean } {
  if (!events.some((event) => Number.isFinite(event.time))) return { deltas: null, monotonic: false };
  const deltas: (number | null)[] = [];
  let previous: number | undefined;
  let monotonic = true;
  for (const event of events) {
    const time = event.time;
    if (time === undefined || !Number.isFinite(time)) {
      deltas.push(null);
      monotonic = false;
      continue;
    }
    const delta = previous === undefined ? time : time - previous;
    if (previous !== undefined && delta < 0) monotonic = false;
    deltas.push(delta);
    previous = time;
  }
  return { deltas, monotonic };
}
