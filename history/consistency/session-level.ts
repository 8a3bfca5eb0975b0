import type { History } from '../operation.ts';
import type { ConstraintEdge } from './constraint-graph.ts';
import type { LevelEvidence, LevelResult } from './level.ts';
import type { KeyModel, SessionRule } from './session-model.ts';
import { BASE_RULES } from './session-model.ts';
import type { WriteOrder } from './write-order.ts';
import { WRITE_ORDER_RULES } from './write-order.ts';

// The four session guarantees (Terry et al. 1994, "Session Guarantees for Weakly Consistent Replicated
// Data"; as Viotti and Vukolić state them over a version order, and Jepsen's consistency pages), each as
// constraints on a key's version order (see session-model.ts). A session is one client process; "r then
// w in the session" means the process invoked w after r completed, so an acknowledged operation comes
// before everything its process did later, and an :info one before nothing (it may take effect after the
// process's later operations). Reads are acknowledged ones (a failed or :info read saw nothing); writes
// that failed never happened. With w_r the write whose value read r returned (for a list, the last
// append it shows) and "a <= b" meaning a is b or comes before it in the version order:
// - monotonic-reads: r1 then r2 => w_r1 <= w_r2: a session's reads never go back in time;
// - read-your-writes: acknowledged w then r => w <= w_r: a session sees its own writes;
// - monotonic-writes: acknowledged w1 then w2 => w1 before w2, if w2 happened: a session's writes take
//   effect in the order it made them;
// - writes-follow-reads: r then w => w_r before w, if w happened: a write comes after what its session
//   had read (the writes that read saw come first).
// Each guarantee is checked alone: it holds when some version order meets its constraints and what every
// level assumes. Monotonic writes and writes-follow-reads constrain the order of writes only, so on a
// register, whose reads do not show that order, they are refuted only together with what the data shows
// (a cas, or a list's order) or as a cycle of their own: "process 0 wrote 1 then 2, and process 1 read 2
// then 1" breaks neither monotonic writes (order 1, 2: process 1 went back in time) nor monotonic reads
// (order 2, 1) alone, only the two together, and so sequential consistency, which implies all four.
// That is the free write order. By default the writes are ordered as single-leader replication orders
// them instead (write-order.ts): real time (and leader epochs) then order the writes, and the four
// guarantees say what a user asking "do my follower reads go backwards?" means: "process 0 wrote 1 then
// 2, and process 1 read 2 then 1" fails monotonic reads on its own. Sequential consistency, which does
// not respect real time, keeps the free order.
// Evidence is a shortest contradictory cycle of constraints, with the operations behind it.

export type SessionLevel = 'read-your-writes' | 'monotonic-reads' | 'monotonic-writes' | 'writes-follow-reads';

const SESSION_RULES: ReadonlySet<SessionRule> = new Set(['read-your-writes', 'monotonic-reads', 'monotonic-writes', 'writes-follow-reads']);

/**
 * One guarantee, its version order free or (by default) real-time: ordered as single-leader replication
 * orders writes (write-order.ts), so that "process 0 wrote 1 then 2, then read 1" fails read-your-writes
 * instead of holding by the order 2, 1.
 */
export function checkSessionLevel(
  history: History,
  models: readonly KeyModel[],
  level: SessionLevel,
  writeOrder: WriteOrder = 'real-time',
): LevelResult {
  const rules = new Set<SessionRule>([level]);
  if (writeOrder === 'real-time') for (const rule of WRITE_ORDER_RULES) rules.add(rule as SessionRule);
  return checkRules(history, models, rules, { failing: `${level} fails`, none: `${level} violation` });
}

/**
 * All four guarantees on one version order per key, as sequential consistency demands (its order of
 * writes is one): a failure refutes sequential consistency, with the short evidence of a cycle.
 */
export function checkSessionGuarantees(history: History, models: readonly KeyModel[]): LevelResult {
  return checkRules(history, models, SESSION_RULES, {
    failing: 'the session guarantees fail together',
    none: 'violation of the session guarantees',
  });
}

/** How a result names what was checked: "monotonic-reads fails on key x: ...", "the rest show no monotonic-reads violation". */
interface Wording {
  readonly failing: string;
  readonly none: string;
}

function checkRules(history: History, models: readonly KeyModel[], rules: ReadonlySet<SessionRule>, wording: Wording): LevelResult {
  let ambiguous = 0;
  for (const model of models) {
    if (model.problem) return { holds: false, evidence: model.problem };
    addSessionEdges(model);
    const isWrite = (node: number) => node < model.nodeOps.length;
    // One search when the level holds (the common case); only a contradiction is looked at again, to
    // say whether the data alone, or the write order, already had it.
    const cycle = model.graph.cycleThrough(
      () => true,
      (rule) => BASE_RULES.has(rule) || rules.has(rule),
      isWrite,
    );
    if (cycle) {
      const base = model.graph.cycleThrough(
        () => true,
        (rule) => BASE_RULES.has(rule),
        isWrite,
      );
      if (base) return { holds: false, evidence: evidence(history, model, base, 'no version order exists') };
      const ordered = (rule: SessionRule) => BASE_RULES.has(rule) || (WRITE_ORDER_RULES.has(rule) && rules.has(rule));
      const unordered = model.graph.cycleThrough(() => true, ordered, isWrite);
      if (unordered)
        return {
          holds: false,
          evidence: evidence(history, model, unordered, 'the writes cannot be ordered as a single leader orders them'),
        };
      return { holds: false, evidence: evidence(history, model, cycle, wording.failing) };
    }
    ambiguous += model.ambiguous;
  }
  if (ambiguous > 0) {
    return {
      holds: 'unknown',
      reason: `${ambiguous} read(s) returned a value written more than once, so which write each saw is unknown; the rest show no ${wording.none}`,
    };
  }
  return { holds: true };
}

const withEdges = new WeakSet<KeyModel>();

/**
 * Every session's constraints, once per model. Join nodes stand for "the latest of these writes" and
 * keep "after all earlier writes (reads)" linear in size: each earlier one is at or before the join,
 * and the join before the new step (strictly, for a write after reads).
 */
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
        if (!step.ok) continue;
        const joined = graph.addNode();
        if (readsSoFar >= 0) graph.add(readsSoFar, joined, 'writes-follow-reads');
        graph.add(step.node, joined, 'writes-follow-reads', [step.op]);
        readsSoFar = joined;
        lastRead = { op: step.op, node: step.node };
        continue;
      }
      // An :info step is constrained only if it happened (it gets edges into it alone, harmless if it
      // did not), and constrains nothing after it: it may have taken effect after those steps.
      if (lastWrite) graph.add(lastWrite.node, step.node, 'monotonic-writes', [lastWrite.op, step.op], true);
      if (readsSoFar >= 0) graph.add(readsSoFar, step.node, 'writes-follow-reads', [step.op], true);
      if (!step.ok) continue;
      const joined = graph.addNode();
      if (writesSoFar >= 0) graph.add(writesSoFar, joined, 'read-your-writes');
      graph.add(step.node, joined, 'read-your-writes', [step.op]);
      writesSoFar = joined;
      lastWrite = { op: step.op, node: step.node };
    }
  }
}

/** The cycle as operations and one line: each constraint in turn, collapsed across join nodes. */
function evidence(history: History, model: KeyModel, found: readonly ConstraintEdge<SessionRule>[], failing: string): LevelEvidence {
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
    reason: `${failing}${where}: ${clauses.join('; ')}; no order of the writes satisfies all of these`,
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
      return `cas #${ops[0]} comes after the write it compared against`;
    case 'log':
      return ops.length > 1
        ? `append #${ops[1]} is in no read, so it comes after everything read #${ops[0]} shows`
        : `read #${ops[0]} fixes the order of the appends`;
    case 'real-time':
      return `the write of ${wrote(ops[0])} was acknowledged before the write of ${wrote(ops[1])} began`;
    case 'epoch':
      return `the write of ${wrote(ops[0])} was acknowledged in epoch ${history.operations[ops[0]].epoch}, before the write of ${wrote(ops[1])} in epoch ${history.operations[ops[1]].epoch}`;
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
