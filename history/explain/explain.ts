import { detectAnomalies } from '../anomalies/detect-anomalies.ts';
import type { CoreOptions, UnlinearizableCore } from '../anomalies/unlinearizable-core.ts';
import { unlinearizableCores } from '../anomalies/unlinearizable-core.ts';
import type { Anomaly, AnomalyKind } from '../anomaly.ts';
import type { Event } from '../event.ts';
import type { Findings, Inconclusive } from '../findings.ts';
import type { History } from '../operation.ts';
import { describeValue } from '../value.ts';
import type { CheckResult } from '../verdict.ts';
import type { DetectOptions } from '../workloads/detect-options.ts';
import type { InitialValueHint } from '../workloads/register/initial-value-hint.ts';
import { recogniseWorkload, workloadDefinition } from '../workloads/workload.ts';
import type { JsonValue, OperationJson, TimeOptions } from './operation.ts';
import { jsonValue, operationJson, operationLine, timePoint, timeSpan } from './operation.ts';

// What went wrong in a history, as data first and then as text (a terminal) or JSON (CI): the named
// anomalies with the operations that prove them, what the detectors could not decide, and, for a history
// that is not linearizable although no detector names an anomaly, the smallest sets of operations found
// that cannot be linearized together.

export interface Explanation {
  readonly findings: Findings;
  /** Present only when the linearizability verdict is invalid and no anomaly was named. */
  readonly cores: readonly UnlinearizableCore[];
  /** Anomalies the chosen semantics allow (stale reads of a set with eventual reads): reported, never failing. */
  readonly allowed: readonly Anomaly[];
  /** What the history suggests about how it was checked (it looks like it starts from another value): never a verdict. */
  readonly hints: readonly InitialValueHint[];
}

export interface ExplainOptions extends DetectOptions {
  /** The linearizability verdict on this history, when one was computed: an invalid one with no anomaly gets cores. */
  readonly check?: CheckResult;
  readonly core?: CoreOptions;
  /** The detectors' findings, when the caller already has them: not worked out again. */
  readonly findings?: Findings;
}

export function explainHistory(history: History, options: ExplainOptions = {}): Explanation {
  const findings = options.findings ?? detectAnomalies(history, options);
  const needsCore = options.check?.verdict === 'invalid' && findings.anomalies.length === 0;
  const definition = workloadDefinition(options.workload ?? recogniseWorkload(history));
  return {
    findings,
    cores: needsCore ? unlinearizableCores(history, options.check!, options.core) : [],
    allowed: definition?.allowed?.(history, options) ?? [],
    hints: definition?.hints?.(history, options) ?? [],
  };
}

/** timeUnit: what the history's times count (see TimeOptions); operations are placed by their event positions either way. */
export interface TextOptions extends TimeOptions {
  /** Anomalies shown per kind; the rest are counted (default 10). */
  readonly perKind?: number;
}

/** Several lines for a terminal; empty when there is nothing to say. */
export function explanationText(history: History, explanation: Explanation, options: TextOptions = {}): string {
  const perKind = options.perKind ?? 10;
  const { anomalies, inconclusive } = explanation.findings;
  const lines: string[] = [];
  if (anomalies.length > 0) lines.push(`${anomalies.length} ${anomalies.length === 1 ? 'anomaly' : 'anomalies'}: ${countsText(anomalies)}`);
  const shown = new Map<AnomalyKind, number>();
  for (const anomaly of anomalies) {
    const count = shown.get(anomaly.kind) ?? 0;
    shown.set(anomaly.kind, count + 1);
    if (count < perKind) lines.push(...anomalyText(history, anomaly, options));
  }
  for (const [kind, count] of shown)
    if (count > perKind) lines.push(`... and ${count - perKind} more ${kind} (the JSON output lists every one)`);
  for (const note of inconclusive) lines.push(inconclusiveText(note));
  if (explanation.allowed.length > 0) {
    const n = explanation.allowed.length;
    lines.push(
      `${n} stale read${n === 1 ? '' : 's'} allowed: set reads are judged eventual (Jepsen set-full's default), and --set-reads linearizable fails them`,
    );
    for (const anomaly of explanation.allowed.slice(0, perKind)) lines.push(...anomalyText(history, anomaly, options));
    if (n > perKind) lines.push(`... and ${n - perKind} more (the JSON output lists every one)`);
  }
  for (const hint of explanation.hints) lines.push(`hint: ${hint.reason}`);
  for (const core of explanation.cores) {
    lines.push(`not linearizable, and no named anomaly explains it: ${core.reason}:`);
    for (const id of core.ops) lines.push(`  ${operationLine(history.operations[id], options)}`);
  }
  return lines.join('\n');
}

/** One anomaly: its line, then one line per proving operation (and annotation event). */
function anomalyText(history: History, anomaly: Anomaly, options: TimeOptions = {}): string[] {
  const where = anomaly.key !== undefined ? ` (key ${anomaly.key})` : '';
  return [
    `${anomaly.kind}${where}: ${anomaly.reason}`,
    ...anomaly.ops.map((id) => `  ${operationLine(history.operations[id], options)}`),
    ...(anomaly.events ?? []).map((index) => `  ${eventLine(history.events[index], index, options)}`),
    ...(anomaly.window ? [`  ${windowLine(history, anomaly.window, options)}`] : []),
  ];
}

/** `window: events 412-530, t 1.204000-1.250000 s (46.000 ms)`: where to look. */
function windowLine(history: History, { from, to }: { readonly from: number; readonly to: number }, options: TimeOptions): string {
  const [start, end] = [history.events[from]?.time, history.events[to]?.time];
  if (start === undefined || end === undefined) return `window: events ${from}-${to}`;
  const length = options.timeUnit === 'nanoseconds' ? ` (${((end - start) / 1e6).toFixed(3)} ms)` : '';
  return `window: events ${from}-${to}, ${timeSpan(start, end, options.timeUnit)}${length}`;
}

function inconclusiveText(note: Inconclusive): string {
  const where = note.key !== undefined ? ` (key ${note.key})` : '';
  const ids = note.ops
    .slice(0, 8)
    .map((id) => `#${id}`)
    .join(', ');
  const more = note.ops.length > 8 ? ` and ${note.ops.length - 8} more` : '';
  return `inconclusive ${note.kind}${where}: ${note.reason} (operations ${ids}${more})`;
}

function eventLine(event: Event, index: number, options: TimeOptions): string {
  const parts = [`event ${index}`, `${event.process} ${event.f} ${describeValue(event.value)}`];
  if (event.node !== undefined) parts.push(`node ${event.node}`);
  if (event.epoch !== undefined) parts.push(`epoch ${event.epoch}`);
  if (event.time !== undefined) parts.push(timePoint(event.time, options.timeUnit));
  return parts.join('  ');
}

function countsText(anomalies: readonly Anomaly[]): string {
  const counts = countByKind(anomalies);
  return Object.entries(counts)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
}

function countByKind(anomalies: readonly Anomaly[]): Partial<Record<AnomalyKind, number>> {
  const counts: Partial<Record<AnomalyKind, number>> = {};
  for (const a of anomalies) counts[a.kind] = (counts[a.kind] ?? 0) + 1;
  return counts;
}

interface EventJson {
  readonly index: number;
  readonly process: number | string;
  readonly type: Event['type'];
  readonly f: string;
  readonly value: JsonValue;
  readonly node?: string;
  readonly epoch?: number;
  readonly time?: number;
}

interface AnomalyJson {
  readonly kind: AnomalyKind;
  readonly key?: string | number;
  readonly reason: string;
  readonly ops: readonly OperationJson[];
  readonly events?: readonly EventJson[];
  readonly window?: { readonly from: number; readonly to: number };
}

export interface ExplanationJson {
  /** Anomalies by kind. */
  readonly counts: Partial<Record<AnomalyKind, number>>;
  readonly anomalies: readonly AnomalyJson[];
  /** Operation ids only: these lists can be long. */
  readonly inconclusive: readonly Inconclusive[];
  /** Allowed by the chosen semantics: reported, not failing. */
  readonly allowed: readonly AnomalyJson[];
  readonly hints: readonly {
    readonly kind: InitialValueHint['kind'];
    readonly value: JsonValue;
    readonly ops: readonly number[];
    readonly reason: string;
  }[];
  readonly unlinearizable: readonly {
    readonly key?: string | number;
    readonly minimal: boolean;
    readonly checks: number;
    readonly reason: string;
    readonly ops: readonly OperationJson[];
  }[];
}

/** The explanation as JSON-able data: every anomaly with its operations in full. */
export function explanationJson(history: History, explanation: Explanation): ExplanationJson {
  return {
    counts: countByKind(explanation.findings.anomalies),
    anomalies: explanation.findings.anomalies.map((anomaly) => anomalyJson(history, anomaly)),
    inconclusive: explanation.findings.inconclusive,
    allowed: explanation.allowed.map((anomaly) => anomalyJson(history, anomaly)),
    hints: explanation.hints.map((hint) => ({ ...hint, value: jsonValue(hint.value) })),
    unlinearizable: explanation.cores.map((core) => ({
      ...(core.key !== undefined && { key: core.key }),
      minimal: core.minimal,
      checks: core.checks,
      reason: core.reason,
      ops: core.ops.map((id) => operationJson(history.operations[id])),
    })),
  };
}

function anomalyJson(history: History, anomaly: Anomaly): AnomalyJson {
  return {
    kind: anomaly.kind,
    ...(anomaly.key !== undefined && { key: anomaly.key }),
    reason: anomaly.reason,
    ops: anomaly.ops.map((id) => operationJson(history.operations[id])),
    ...(anomaly.events && { events: anomaly.events.map((index) => eventJson(history.events[index], index)) }),
    ...(anomaly.window && { window: anomaly.window }),
  };
}

function eventJson(event: Event, index: number): EventJson {
  return {
    index,
    process: event.process,
    type: event.type,
    f: event.f,
    value: jsonValue(event.value),
    ...(event.node !== undefined && { node: event.node }),
    ...(event.epoch !== undefined && { epoch: event.epoch }),
    ...(event.time !== undefined && { time: event.time }),
  };
}
