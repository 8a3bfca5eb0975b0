import type { History } from '../operation.ts';
import type { ConstraintEdge } from './constraint-graph.ts';
import type { LevelEvidence, LevelResult } from './level.ts';
import type { KeyModel, SessionRule } from './session-model.ts';
import { BASE_RULES } from './session-model.ts';

// The four session guarantees as constraints on a key's version order (see session-model.ts), each
// from what one session (a client process) did on the key, in its own order. With w_r the write whose
// value read r returned and "a <= b" meaning a is b or comes before it in the version order:
// - monotonic-reads: r1 then r2 in one session => w_r1 <= w_r2 (a session's reads never go back);
// - read-your-writes: w then r in one session => w <= w_r (a session sees its own acknowledged writes);
// - monotonic-writes: w1 then w2 in one session => w1 before w2 (a session's writes take effect in the
//   order it made them, as every session observes them);
// - writes-follow-reads: r then w in one session => w_r before w (a session's write comes after what it
//   had read, as every session observes it).
// Monotonic writes and writes-follow-reads order writes only; what refutes them is how sessions observe
// those writes, so their check includes each session's read order (the monotonic-reads constraints) and
// fails only on a cycle that runs through one of the level's own constraints: a cycle of read orders
// alone is a monotonic-reads failure, not theirs. A level holds when, on every key, a version order
// satisfies the constraints; evidence is a shortest cycle of constraints, with the operations behind it.

export type SessionLevel = 'read-your-writes' | 'monotonic-reads' | 'monotonic-writes' | 'writes-follow-reads';

const OBSERVED_BY_READS: ReadonlySet<SessionLevel> = new Set(['monotonic-writes', 'writes-follow-reads']);

export function checkSessionLevel(history: History, models: readonly KeyModel[], level: SessionLevel): LevelResult {
  let ambiguous = 0;
  for (const model of models) {
    if (model.problem) return { holds: false, evidence: model.problem };
    addSessionEdges(model);
    const isWrite = (node: number) => node < model.nodeOps.length;
    const base = model.graph.cycleThrough((rule) => BASE_RULES.has(rule), (rule) => BASE_RULES.has(rule), isWrite);
    if (base) return { holds: false, evidence: evidence(history, model, base, 'no version order') };
    const usable = (rule: SessionRule) => BASE_RULES.has(rule) || rule === level || (OBSERVED_BY_READS.has(level) && rule === 'monotonic-reads');
    const cycle = model.graph.cycleThrough((rule) => rule === level, usable, isWrite);
    if (cycle) return { holds: false, evidence: evidence(history, model, cycle, level) };
    ambiguous += model.ambiguous;
  }
  if (ambiguous > 0) {
    return {
      holds: 'unknown',
      reason: `${ambiguous} read(s) returned a value written more than once, so which write each saw is unknown; the rest show no ${level} violation`,
    };
  }
  return { holds: true };
}

const withEdges = new WeakSet<KeyModel>();

/** Every session's constraints, once per model; join nodes keep "all earlier writes" linear in size. */
function addSessionEdges(model: KeyModel): void {
  if (withEdges.has(model)) return;
  withEdges.add(model);
  const graph = model.graph;
  for (const steps of model.sessions.values()) {
    let lastRead: { op: number; node: number } | undefined;
    let lastWrite: { op: number; node: number } | undefined;
    let writesSoFar = -1;
    let readsSoFar = -1;
    for (const step of steps) {
      if (step.kind === 'read') {
        if (step.node === undefined) continue;
        if (lastRead) graph.add(lastRead.node, step.node, 'monotonic-reads', [lastRead.op, step.op]);
        if (writesSoFar >= 0) graph.add(writesSoFar, step.node, 'read-your-writes', [step.op]);
        const joined = graph.addNode();
        if (readsSoFar >= 0) graph.add(readsSoFar, joined, 'writes-follow-reads');
        graph.add(step.node, joined, 'writes-follow-reads', [step.op]);
        readsSoFar = joined;
        lastRead = { op: step.op, node: step.node };
        continue;
      }
      if (!step.ok) continue;
      if (lastWrite) graph.add(lastWrite.node, step.node, 'monotonic-writes', [lastWrite.op, step.op]);
      if (readsSoFar >= 0) graph.add(readsSoFar, step.node, 'writes-follow-reads', [step.op]);
      const joined = graph.addNode();
      if (writesSoFar >= 0) graph.add(writesSoFar, joined, 'read-your-writes');
      graph.add(step.node, joined, 'read-your-writes', [step.op]);
      writesSoFar = joined;
      lastWrite = { op: step.op, node: step.node };
    }
  }
}

/** The cycle as operations and one line: each constraint in turn, collapsed across join nodes. */
function evidence(history: History, model: KeyModel, found: readonly ConstraintEdge<SessionRule>[], what: string): LevelEvidence {
  const start = found.findIndex((edge) => edge.from < model.nodeOps.length);
  const cycle = [...found.slice(start), ...found.slice(0, start)];
  const clauses: string[] = [];
  const ops: number[] = [];
  let pending: number[] = [];
  for (const edge of cycle) {
    pending.push(...edge.why);
    if (edge.to >= model.nodeOps.length) continue;
    const clause = describeConstraint(history, model, edge.rule, pending);
    if (clause) clauses.push(clause);
    ops.push(...pending);
    pending = [];
  }
  const where = model.key !== undefined ? ` on key ${model.key}` : '';
  return {
    ...(model.key !== undefined && { key: model.key }),
    ops: [...new Set(ops)],
    reason: `${what} fails${where}: ${clauses.join('; ')}; no order of the writes satisfies all of these`,
  };
}

function describeConstraint(history: History, model: KeyModel, rule: SessionRule, ops: readonly number[]): string | undefined {
  const process = ops.length > 0 ? history.operations[ops[0]].process : undefined;
  const read = (op: number) => `${model.describe(op, 'read')} (#${op})`;
  const wrote = (op: number) => `${model.describe(op, 'write')} (#${op})`;
  switch (rule) {
    case 'initial':
      return 'the initial value comes before every write';
    case 'cas':
      return `cas #${ops[0]} comes right after the write it compared against`;
    case 'log':
      return ops.length > 1 ? `append #${ops[1]} is in no read, so it comes after everything read #${ops[0]} shows` : `read #${ops[0]} fixes the order of the appends`;
    case 'monotonic-reads':
      return `process ${process} read ${read(ops[0])} then ${read(ops[1])}`;
    case 'read-your-writes':
      return `process ${process} wrote ${wrote(ops[0])} then read ${read(ops[1])}`;
    case 'monotonic-writes':
      return `process ${process} wrote ${wrote(ops[0])} then ${wrote(ops[1])}`;
    case 'writes-follow-reads':
      return `process ${process} read ${read(ops[0])} then wrote ${wrote(ops[1])}`;
  }
}
