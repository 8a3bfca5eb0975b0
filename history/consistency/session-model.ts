import type { Key } from '../event.ts';
import type { History } from '../operation.ts';
import type { Value } from '../value.ts';
import { describeValue } from '../value.ts';
import { analyseListKey } from '../workloads/list-append/list-append.ts';
import { listAppendKeys } from '../workloads/list-append/ops.ts';
import { registerPhantomReads } from '../workloads/register/phantom-reads.ts';
import type { RegisterKey } from '../workloads/register/register.ts';
import { INITIAL_WRITE, registerKeys, seenValue, writersByValue } from '../workloads/register/register.ts';
import { registerSources } from '../workloads/register/sources.ts';
import { valueId } from '../workloads/value-id.ts';
import { ConstraintGraph } from './constraint-graph.ts';
import type { LevelEvidence } from './level.ts';
import type { OrderedWrite, WriteOrderRule } from './write-order.ts';
import { addWriteOrderEdges } from './write-order.ts';

// The session guarantees judge one key at a time against a version order: one total order of the key's
// writes that happened, the initial value first, as a single leader's log orders them; every read sees a
// prefix of it (its replica's copy of the log) and returns the value of the prefix's last write, or on
// a list the whole prefix. Acknowledged writes happened, failed ones did not, and an :info write happened
// exactly when something shows it (a read of its value, or a cas that compared against it); one nothing
// shows can be taken never to have happened, so no constraint on it is ever a contradiction (it only ever
// gets constraints into it). This file turns a key's history into constraints on that order (a
// ConstraintGraph whose real nodes are writes):
// - what every level assumes (rules "initial", "cas", "log"): the initial value precedes every write; a
//   cas (acknowledged, or :info and shown to have happened) comes after the write it compared against; on
//   a list, the longest read fixes the order of the appends it shows, and acknowledged appends no read
//   shows come after them;
// - what each session (one client process) did, in its own order, on this key: every read maps to the
//   write whose value it returned (values are unique per key; a read of a value written more than once
//   maps to nothing and is counted as ambiguous), and each guarantee adds its edges (see session-level.ts);
// - how single-leader replication orders the writes (rules "real-time" and "epoch", write-order.ts), used
//   only when the session guarantees are checked under that write order.

export type SessionRule =
  | 'initial'
  | 'cas'
  | 'log'
  | WriteOrderRule
  | 'monotonic-reads'
  | 'read-your-writes'
  | 'monotonic-writes'
  | 'writes-follow-reads';

export const BASE_RULES: ReadonlySet<SessionRule> = new Set(['initial', 'cas', 'log']);

/**
 * One thing a session did on the key: read a write's value (node undefined if ambiguous), or write. ok
 * false marks an :info operation, which may take effect after the session's later operations, or never:
 * an :info write, or the read of an :info cas shown to have happened.
 */
type SessionStep =
  | { readonly kind: 'read'; readonly op: number; readonly node?: number; readonly ok: boolean }
  | { readonly kind: 'write'; readonly op: number; readonly node: number; readonly ok: boolean };

export interface KeyModel {
  readonly key?: Key;
  /** Nodes: 0 is the initial value, then one per write; session-level.ts adds join nodes after them. */
  readonly graph: ConstraintGraph<SessionRule>;
  /** Operation id of each write node (-1 for the initial value). */
  readonly nodeOps: readonly number[];
  readonly sessions: ReadonlyMap<number, readonly SessionStep[]>;
  /** Reads whose value more than one write wrote (and :info cas ops that happened, comparing against such a value): they constrain nothing. */
  readonly ambiguous: number;
  /** Something no version order can explain (a phantom read, a forked log): every level fails. */
  readonly problem?: LevelEvidence;
  /** What an operation read or wrote, for evidence. */
  describe(op: number, as: 'read' | 'write'): string;
}

export function registerKeyModels(history: History, initialValue?: Value): KeyModel[] {
  return registerKeys(history, { initialValue }).map((part) => registerKeyModel(history, part));
}

function registerKeyModel(history: History, part: RegisterKey): KeyModel {
  const graph = new ConstraintGraph<SessionRule>();
  const initial = graph.addNode();
  const nodeOps = [-1];
  const nodeOfWrite = part.writes.map((write) => {
    const node = graph.addNode();
    nodeOps.push(write.op);
    graph.add(initial, node, 'initial', [], true);
    return node;
  });
  const nodeOf = (candidate: number) => (candidate === INITIAL_WRITE ? initial : nodeOfWrite[candidate]);
  const sources = registerSources(part);
  const readNode = new Map<number, number | undefined>();
  let ambiguous = 0;
  part.reads.forEach((read, i) => {
    const candidates = sources.sources[i]?.candidates;
    const node = candidates?.length === 1 ? nodeOf(candidates[0]) : undefined;
    if (candidates && candidates.length > 1) ambiguous++;
    readNode.set(read.op, node);
  });
  const writeNode = new Map<number, { node: number; ok: boolean }>();
  part.writes.forEach((write, i) => {
    writeNode.set(write.op, { node: nodeOfWrite[i], ok: write.ok });
    const compared = readNode.get(write.op);
    if (compared !== undefined) graph.add(compared, nodeOfWrite[i], 'cas', [write.op], true);
  });
  addWriteOrderEdges(
    graph,
    part.writes.map((write, i) => orderedWrite(history, write.op, nodeOfWrite[i], write)),
  );
  const shownCas = infoCasShown(history, part, graph, nodeOfWrite, nodeOf, new Set(readNode.values()));
  ambiguous += shownCas.ambiguous;
  for (const [op, node] of shownCas.compared) readNode.set(op, node);
  const sessions = new Map<number, SessionStep[]>();
  for (const id of inOrder([...readNode.keys(), ...writeNode.keys()])) {
    const steps = sessionOf(sessions, history.operations[id].process);
    const ok = history.operations[id].result === 'ok';
    if (readNode.has(id)) steps.push({ kind: 'read', op: id, ...(readNode.get(id) !== undefined && { node: readNode.get(id) }), ok });
    const write = writeNode.get(id);
    if (write) steps.push({ kind: 'write', op: id, ...write });
  }
  const phantom = registerPhantomReads(history, part, sources)[0] ?? shownCas.impossible;
  return {
    ...(part.key !== undefined && { key: part.key }),
    graph,
    nodeOps,
    sessions,
    ambiguous,
    ...(phantom && { problem: { ...(phantom.key !== undefined && { key: phantom.key }), ops: phantom.ops, reason: phantom.reason } }),
    describe: (op, as) => {
      const operation = history.operations[op];
      if (as === 'write')
        return describeValue(operation.f === 'cas' && Array.isArray(operation.input) ? (operation.input[1] ?? null) : operation.input);
      return describeValue(seenValue(operation, operation.f === 'cas'));
    },
  };
}

/**
 * An :info cas that happened (something read its value, or compared against it) found its old value: it
 * read the write of that value, and comes after it. Followed from cas to cas, as each one shown makes the
 * one it compared against shown too. A shown :info cas whose old value nothing wrote cannot have
 * happened, and the read that shows it is impossible under every level. `compared`: each shown :info
 * cas's operation id -> the node it read (undefined if more than one write wrote its old value).
 */
function infoCasShown(
  history: History,
  part: RegisterKey,
  graph: ConstraintGraph<SessionRule>,
  nodeOfWrite: readonly number[],
  nodeOf: (candidate: number) => number,
  shown: Set<number | undefined>,
): { ambiguous: number; impossible?: LevelEvidence; compared: Map<number, number | undefined> } {
  const writers = writersByValue(part);
  const indexOfNode = new Map(nodeOfWrite.map((node, i) => [node, i]));
  const pending = part.writes.flatMap((write, i) => (isInfoCas(history, write) && shown.has(nodeOfWrite[i]) ? [i] : []));
  const done = new Set(pending);
  let ambiguous = 0;
  const compared = new Map<number, number | undefined>();
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const write = part.writes[next];
    const old = (history.operations[write.op].input as readonly Value[])[0] ?? null;
    const candidates = writers.get(valueId(old)) ?? [];
    if (candidates.length > 1) {
      ambiguous++;
      compared.set(write.op, undefined);
      continue;
    }
    if (candidates.length === 0) {
      return {
        ambiguous,
        compared,
        impossible: {
          ...(part.key !== undefined && { key: part.key }),
          ops: [write.op],
          reason: `cas #${write.op} (:info) must have happened, as its value was read, yet nothing wrote the value ${describeValue(old)} it compared against`,
        },
      };
    }
    const source = nodeOf(candidates[0]);
    compared.set(write.op, source);
    graph.add(source, nodeOfWrite[next], 'cas', [write.op], true);
    const sourceWrite = indexOfNode.get(source);
    if (sourceWrite !== undefined && !done.has(sourceWrite) && isInfoCas(history, part.writes[sourceWrite])) {
      done.add(sourceWrite);
      pending.push(sourceWrite);
    }
  }
  return { ambiguous, compared };
}

function isInfoCas(history: History, write: RegisterKey['writes'][number]): boolean {
  return !write.ok && history.operations[write.op].f === 'cas';
}

const ORDER_PROBLEMS = new Set(['phantom-read', 'duplicate-element', 'dual-leader']);

export function listAppendKeyModels(history: History): KeyModel[] {
  return listAppendKeys(history).map((part) => {
    const analysis = analyseListKey(part);
    const graph = new ConstraintGraph<SessionRule>();
    const initial = graph.addNode();
    const nodeOps = [-1];
    const nodeOf = new Map<unknown, number>();
    const appendNode = part.appends.map((append) => {
      const node = graph.addNode();
      nodeOps.push(append.op);
      nodeOf.set(append.element, node);
      return node;
    });
    const longest = analysis.longest;
    let tail = initial;
    for (const element of analysis.order) {
      const node = nodeOf.get(element)!;
      graph.add(tail, node, 'log', [longest!.op], true);
      tail = node;
    }
    const ordered = new Set(analysis.order);
    part.appends.forEach((append, i) => {
      if (append.ok && !ordered.has(append.element))
        graph.add(tail, appendNode[i], 'log', longest ? [longest.op, append.op] : [append.op], true);
    });
    addWriteOrderEdges(
      graph,
      part.appends.map((append, i) => orderedWrite(history, append.op, appendNode[i], append)),
    );
    const readNode = new Map<number, number>();
    part.reads.forEach((read, i) => {
      if (!analysis.prefix[i]) return;
      readNode.set(read.op, read.elements.length === 0 ? initial : nodeOf.get(analysis.order[read.elements.length - 1])!);
    });
    const appendOf = new Map(part.appends.map((append, i) => [append.op, { node: appendNode[i], ok: append.ok }]));
    const sessions = new Map<number, SessionStep[]>();
    for (const id of inOrder([...readNode.keys(), ...appendOf.keys()])) {
      const read = readNode.get(id);
      sessionOf(sessions, history.operations[id].process).push(
        read !== undefined ? { kind: 'read', op: id, node: read, ok: true } : { kind: 'write', op: id, ...appendOf.get(id)! },
      );
    }
    const problem = analysis.anomalies.find((a) => ORDER_PROBLEMS.has(a.kind));
    const shown = new Map(part.reads.map((read) => [read.op, read.elements]));
    return {
      ...(part.key !== undefined && { key: part.key }),
      graph,
      nodeOps,
      sessions,
      ambiguous: 0,
      ...(problem && { problem: { ...(problem.key !== undefined && { key: problem.key }), ops: problem.ops, reason: problem.reason } }),
      describe: (op, as) => {
        if (as === 'read') return describeValue(shown.get(op) ?? null);
        const operation = history.operations[op];
        const micro = operation.f === 'txn' && Array.isArray(operation.input) ? (operation.input[0] as readonly Value[]) : undefined;
        return describeValue(micro ? (micro[2] ?? null) : operation.input);
      },
    };
  });
}

function orderedWrite(history: History, op: number, node: number, write: { ok: boolean; invoke: number; complete: number }): OrderedWrite {
  const epoch = history.operations[op].epoch;
  return { node, op, ok: write.ok, invoke: write.invoke, complete: write.complete, ...(epoch !== undefined && { epoch }) };
}

/** Distinct operation ids in invocation order: a process's order. */
function inOrder(ids: readonly number[]): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}

function sessionOf(sessions: Map<number, SessionStep[]>, process: number): SessionStep[] {
  let steps = sessions.get(process);
  if (!steps) {
    steps = [];
    sessions.set(process, steps);
  }
  return steps;
}
