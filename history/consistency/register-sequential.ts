import type { Key } from '../event.ts';
import { operationBrief } from '../explain/operation.ts';
import type { History, Operation } from '../operation.ts';
import type { Value } from '../value.ts';
import type { ValueId } from '../workloads/value-id.ts';
import { valueId } from '../workloads/value-id.ts';
import type { LevelResult } from './level.ts';

// Sequential consistency of a register history (read, write, cas; any number of keys): is there one
// interleaving of the client processes' operations in which every read returns the latest write of its
// key and every successful cas finds its old value? Real time plays no part; each process's order does,
// as far as it is known: a completed (:ok) operation comes before everything its process invoked after it.
// Failed operations did not happen. An :info write or cas may have happened, at any point after its
// invocation (so after its process's earlier operations, but not necessarily before its later ones: a
// client that timed out goes on while its request may still land), or never; an :info read says nothing.
// Deciding this is NP-complete in general, so it is a search: depth first over which process moves next
// or which :info write lands next, remembering states already refuted (positions of every process, every
// key's value, the :info writes not yet landed), within a step budget. Moves that change nothing are
// taken at once, as no interleaving is lost by taking them early: a read whose value is the current one,
// and a process passing its :info write (which then waits, free to land at any later point). An :info
// write of a value nothing ever reads is left out: landing it could only hide the value reads need.

export interface SequentialSearchOptions {
  /** States to expand before giving up with unknown; default 200,000. */
  readonly steps?: number;
  readonly initialValue?: Value;
}

const DEFAULT_STEPS = 200_000;

interface Step {
  readonly op: Operation;
  readonly key: number;
  readonly kind: 'read' | 'write' | 'cas';
  readonly seen?: ValueId;
  readonly wrote?: ValueId;
  /** An :info write or cas: it may land at any later point, or never. */
  readonly maybe: boolean;
}

/** A state: how far each process has got, each key's value, the :info writes passed but not landed (ascending ids). */
interface State {
  readonly positions: readonly number[];
  readonly values: readonly ValueId[];
  readonly waiting: readonly number[];
}

type Move = { readonly session: number } | { readonly waiting: number };

export function registerSequential(history: History, options: SequentialSearchOptions = {}): LevelResult {
  const { sessions, keys } = sessionsOf(history);
  const steps = sessions.flat();
  const stepIndex = new Map(steps.map((step, i) => [step, i]));
  const initial = valueId(options.initialValue ?? null);
  const budget = options.steps ?? DEFAULT_STEPS;
  const refuted = new Set<string>();
  let expanded = 0;
  let deepest: State | undefined;
  const placed = (state: State) => state.positions.reduce((sum, p) => sum + p, 0);

  // Iterative depth-first search: each frame is a state and the moves not yet tried from it.
  type Frame = { state: State; moves: Move[] };
  const enter = (state: State): Frame | 'done' => {
    const settled = takeFreeMoves(sessions, state, stepIndex);
    if (!deepest || placed(settled) > placed(deepest)) deepest = settled;
    if (settled.positions.every((p, s) => p === sessions[s].length)) return 'done';
    return { state: settled, moves: movesFrom(sessions, steps, settled) };
  };
  const start = enter({ positions: sessions.map(() => 0), values: Array.from({ length: keys }, () => initial), waiting: [] });
  if (start === 'done') return { holds: true };
  const stack: Frame[] = [start];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const move = frame.moves.pop();
    if (!move) {
      refuted.add(stateKey(frame.state));
      stack.pop();
      continue;
    }
    if (++expanded > budget) {
      return { holds: 'unknown', reason: `the search for a sequential order ran out of its ${budget}-step budget` };
    }
    const next = applyMove(sessions, steps, frame.state, move);
    if (refuted.has(stateKey(next))) continue;
    const entered = enter(next);
    if (entered === 'done') return { holds: true };
    stack.push(entered);
  }
  const furthest = deepest!;
  const blocked = furthest.positions.flatMap((p, s) => (p < sessions[s].length ? [sessions[s][p].op] : []));
  return {
    holds: false,
    evidence: {
      ops: blocked.map((op) => op.id),
      reason:
        `not sequentially consistent: no interleaving of the processes' operations, each process in its own order ` +
        `(an :info write landing at any point after its invocation, or never), explains every read; ` +
        `the furthest any gets is ${placed(furthest)} operation(s), after which none of ${blocked.map(operationBrief).join(', ')} can come next`,
    },
  };
}

/** Each process's steps in its order, without failed operations, :info reads and :info writes of values nothing reads. */
function sessionsOf(history: History): { sessions: Step[][]; keys: number } {
  const keys = new Map<Key | undefined, number>();
  const keyOf = (key: Key | undefined) => {
    if (!keys.has(key)) keys.set(key, keys.size);
    return keys.get(key)!;
  };
  const all = history.operations.flatMap((op) => stepOf(op, keyOf(op.key)) ?? []);
  const read = new Set(all.filter((step) => step.seen !== undefined).map((step) => `${step.key} ${String(step.seen)}`));
  const byProcess = new Map<number, Step[]>();
  for (const step of all) {
    if (step.maybe && !read.has(`${step.key} ${String(step.wrote)}`)) continue;
    const steps = byProcess.get(step.op.process);
    if (steps) steps.push(step);
    else byProcess.set(step.op.process, [step]);
  }
  return { sessions: [...byProcess.values()], keys: keys.size };
}

function stepOf(op: Operation, key: number): Step | undefined {
  if (op.result === 'fail') return undefined;
  const maybe = op.result === 'info';
  switch (op.f) {
    case 'read':
      return maybe ? undefined : { op, key, kind: 'read', seen: valueId(op.output), maybe };
    case 'write':
      return { op, key, kind: 'write', wrote: valueId(op.input), maybe };
    case 'cas': {
      if (!Array.isArray(op.input) || op.input.length !== 2) return undefined;
      return { op, key, kind: 'cas', seen: valueId(op.input[0] as Value), wrote: valueId(op.input[1] as Value), maybe };
    }
    default:
      return undefined;
  }
}

/** Reads of the current value, and :info writes passed into the waiting set, until neither applies. */
function takeFreeMoves(sessions: readonly Step[][], state: State, stepIndex: ReadonlyMap<Step, number>): State {
  const positions = [...state.positions];
  let waiting: number[] | undefined;
  sessions.forEach((steps, s) => {
    for (;;) {
      const step = steps[positions[s]];
      if (step?.maybe) {
        waiting ??= [...state.waiting];
        waiting.push(stepIndex.get(step)!);
      } else if (!(step?.kind === 'read' && step.seen === state.values[step.key])) break;
      positions[s]++;
    }
  });
  return { positions, values: state.values, waiting: waiting ? waiting.sort((a, b) => a - b) : state.waiting };
}

/** Each process's next completed write or cas that can take effect now, and each waiting :info one that can land now. */
function movesFrom(sessions: readonly Step[][], steps: readonly Step[], state: State): Move[] {
  const possible = (step: Step) => step.kind === 'write' || step.seen === state.values[step.key];
  const moves: Move[] = [];
  sessions.forEach((own, s) => {
    const step = own[state.positions[s]];
    if (step && step.kind !== 'read' && possible(step)) moves.push({ session: s });
  });
  for (const waiting of state.waiting) if (possible(steps[waiting])) moves.push({ waiting });
  return moves;
}

function applyMove(sessions: readonly Step[][], steps: readonly Step[], state: State, move: Move): State {
  const values = [...state.values];
  if ('session' in move) {
    const positions = [...state.positions];
    const step = sessions[move.session][positions[move.session]++];
    values[step.key] = step.wrote!;
    return { positions, values, waiting: state.waiting };
  }
  const step = steps[move.waiting];
  values[step.key] = step.wrote!;
  return { positions: state.positions, values, waiting: state.waiting.filter((w) => w !== move.waiting) };
}

function stateKey(state: State): string {
  return `${state.positions.join(',')}\u0001${state.values.map(String).join('\u0001')}\u0001${state.waiting.join(',')}`;
}
