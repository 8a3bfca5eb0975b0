import type { History, Operation } from '../operation.ts';
import { describeValue } from '../value.ts';
import type { ListAppendKeyAnalysis } from '../workloads/list-append/list-append.ts';
import { analyseListKey } from '../workloads/list-append/list-append.ts';
import { listAppendKeys } from '../workloads/list-append/ops.ts';
import type { ConstraintEdge } from './constraint-graph.ts';
import { ConstraintGraph } from './constraint-graph.ts';
import type { LevelResult } from './level.ts';

// Linearizability and sequential consistency of a list-append history, decided exactly in linear time.
// A list read shows the whole order of appends before it, so (once no read is a phantom, repeats an
// element, or forks from the longest read) the version order of each key is known, and a history is
// sequentially consistent iff one total order of all operations meets, with no cycle:
// - the version order: appends in the longest read's order; appends no read shows after all of them;
// - each read after the last append it shows and before the first it does not;
// - each process's own order (sequential), or real time: a before b when a completed before b began
//   (linearizable; real time includes each process's order). Either way only a completed (:ok) operation
//   comes before anything: an :info append may take effect at any time after its invocation, so it comes
//   after its process's earlier operations but before none of its later ones (the model's clients go on
//   after an :info, as a real client that timed out does, while the append may still land).
// :info appends a read shows happened; the rest never did (which no read can contradict). Failed
// operations never happened: a read showing a failed append is a phantom.
// Real-time edges go through a chain of time points, one per event, so they stay linear in number.

type OrderRule = 'log' | 'saw' | 'missed' | 'process' | 'real-time';

export function listAppendOrder(history: History, order: 'linearizable' | 'sequential'): LevelResult {
  const analyses = listAppendKeys(history).map((part) => analyseListKey(part));
  for (const analysis of analyses) {
    const problem = analysis.anomalies.find((a) => a.kind !== 'lost-write' && a.kind !== 'stale-read');
    if (problem)
      return {
        holds: false,
        evidence: { ...(problem.key !== undefined && { key: problem.key }), ops: problem.ops, reason: problem.reason },
      };
  }
  const graph = new ConstraintGraph<OrderRule>();
  const nodeOf = new Map<number, number>();
  const opOf: number[] = [];
  const include = (op: number) => {
    if (!nodeOf.has(op)) {
      nodeOf.set(op, graph.addNode());
      opOf.push(op);
    }
    return nodeOf.get(op)!;
  };
  for (const analysis of analyses) addVersionOrder(graph, analysis, include, opOf);
  const included = [...nodeOf.keys()].sort((a, b) => a - b).map((id) => history.operations[id]);
  if (order === 'sequential') addProcessOrder(graph, included, nodeOf);
  else addRealTime(graph, included, nodeOf, opOf);
  const cycle = graph.cycleThrough(
    () => true,
    () => true,
    (node) => opOf[node] >= 0,
  );
  if (!cycle) return { holds: true };
  return { holds: false, evidence: describeCycle(history, cycle, opOf, order) };
}

function addVersionOrder(
  graph: ConstraintGraph<OrderRule>,
  analysis: ListAppendKeyAnalysis,
  include: (op: number) => number,
  opOf: number[],
): void {
  const { part, order, prefix } = analysis;
  const appendOp = new Map(part.appends.map((a) => [a.element, a.op]));
  const positions = order.map((element) => include(appendOp.get(element)!));
  const proof = analysis.longest ? [analysis.longest.op] : [];
  for (let i = 1; i < positions.length; i++) graph.add(positions[i - 1], positions[i], 'log', proof);
  // "After everything read": a point every read showing the whole order precedes, and unread appends follow.
  const after = graph.addNode();
  opOf.push(-1);
  if (positions.length > 0) graph.add(positions[positions.length - 1], after, 'log', proof);
  const shown = new Set(order);
  for (const append of part.appends) if (append.ok && !shown.has(append.element)) graph.add(after, include(append.op), 'missed', proof);
  part.reads.forEach((read, i) => {
    if (!prefix[i]) return;
    const node = include(read.op);
    const length = read.elements.length;
    if (length > 0) graph.add(positions[length - 1], node, 'saw', [read.op]);
    graph.add(node, length < positions.length ? positions[length] : after, 'missed', [read.op]);
  });
}

/** Each operation after its process's last completed one before it; an :info one is before nothing. */
function addProcessOrder(graph: ConstraintGraph<OrderRule>, included: readonly Operation[], nodeOf: ReadonlyMap<number, number>): void {
  const lastCompleted = new Map<number, Operation>();
  for (const op of included) {
    const before = lastCompleted.get(op.process);
    if (before) graph.add(nodeOf.get(before.id)!, nodeOf.get(op.id)!, 'process', [before.id, op.id]);
    if (op.result === 'ok') lastCompleted.set(op.process, op);
  }
}

function addRealTime(
  graph: ConstraintGraph<OrderRule>,
  included: readonly Operation[],
  nodeOf: ReadonlyMap<number, number>,
  opOf: number[],
): void {
  const points: { at: number; op: Operation; completes: boolean }[] = [];
  for (const op of included) {
    points.push({ at: op.invokeIndex, op, completes: false });
    if (op.result === 'ok') points.push({ at: op.completeIndex, op, completes: true });
  }
  points.sort((a, b) => a.at - b.at);
  let previous = -1;
  for (const point of points) {
    const time = graph.addNode();
    opOf.push(-1);
    if (previous >= 0) graph.add(previous, time, 'real-time');
    const node = nodeOf.get(point.op.id)!;
    if (point.completes) graph.add(node, time, 'real-time', [point.op.id]);
    else graph.add(time, node, 'real-time', [point.op.id]);
    previous = time;
  }
}

function describeCycle(
  history: History,
  found: readonly ConstraintEdge<OrderRule>[],
  opOf: readonly number[],
  order: string,
): { ops: number[]; reason: string } {
  const real = (node: number) => opOf[node] >= 0;
  const start = found.findIndex((edge) => real(edge.from));
  const cycle = [...found.slice(start), ...found.slice(0, start)];
  const clauses: string[] = [];
  const ops: number[] = [];
  let segment: ConstraintEdge<OrderRule>[] = [];
  for (const edge of cycle) {
    segment.push(edge);
    if (!real(edge.to)) continue;
    clauses.push(clause(history, segment, opOf[segment[0].from], opOf[edge.to]));
    ops.push(opOf[segment[0].from], ...segment.flatMap((e) => e.why));
    segment = [];
  }
  const level = order === 'linearizable' ? 'linearizable' : 'sequentially consistent';
  return { ops: [...new Set(ops)], reason: `not ${level}: ${clauses.join('; ')}; so each must come before itself` };
}

/** Why a comes before b, from the edges between them (through time points or the "after everything read" point). */
function clause(history: History, segment: readonly ConstraintEdge<OrderRule>[], a: number, b: number): string {
  const show = (id: number) => {
    const op = history.operations[id];
    return `#${id} (${op.f} ${describeValue(op.f === 'append' ? op.input : op.output, 30)})`;
  };
  const first = segment[0];
  const last = segment[segment.length - 1];
  if (segment.some((edge) => edge.rule === 'real-time')) return `${show(a)} before ${show(b)}, which began after it completed`;
  if (segment.length > 1 && last.rule === 'missed') return `${show(a)} before ${show(b)}, which no read shows`;
  switch (first.rule) {
    case 'log':
      return `${show(a)} before ${show(b)}, as read #${first.why[0]} shows`;
    case 'saw':
      return `${show(a)} before ${show(b)}, which shows it`;
    case 'missed':
      return `${show(a)} before ${show(b)}, which it does not show`;
    default:
      return `${show(a)} before ${show(b)}, in process ${history.operations[a].process}'s order`;
  }
}
