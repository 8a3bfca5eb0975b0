import type { Key } from '../event.ts';
import { operationBrief } from '../explain-operation.ts';
import type { History, Operation } from '../operation.ts';
import type { Value } from '../value.ts';
import type { ValueId } from '../workloads/value-id.ts';
import { valueId } from '../workloads/value-id.ts';
import type { LevelResult } from './level.ts';

// Sequential consistency of a register history (read, write, cas; any number of keys): is there one
// interleaving of the client processes' operations, each process's in its own order, in which every read
// returns the latest write of its key and every successful cas finds its old value? Real time plays no
// part. Failed operations did not happen; an :info write or cas may have happened (at any point after the
// process's earlier operations) or not; an :info read says nothing. Deciding this is NP-complete in general,
// so it is a search: depth first over which process moves next, remembering states already refuted
// (positions of every process and every key's value), within a step budget. A read whose value is the
// current one is taken at once: it changes nothing, so no interleaving is lost by taking it early.

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
  readonly maybe: boolean;
}

export function registerSequential(history: History, options: SequentialSearchOptions = {}): LevelResult {
  const keys = new Map<Key | undefined, number>();
  const keyOf = (key: Key | undefined) => {
    if (!keys.has(key)) keys.set(key, keys.size);
    return keys.get(key)!;
  };
  const byProcess = new Map<number, Step[]>();
  for (const op of history.operations) {
    const step = stepOf(op, keyOf(op.key));
    if (!step) continue;
    const steps = byProcess.get(op.process);
    if (steps) steps.push(step);
    else byProcess.set(op.process, [step]);
  }
  const sessions = [...byProcess.values()];
  const initial = valueId(options.initialValue ?? null);
  const budget = options.steps ?? DEFAULT_STEPS;
  const refuted = new Set<string>();
  let expanded = 0;
  let deepest = { placed: -1, positions: [] as number[] };

  // Iterative depth-first search: each frame is a state and the moves not yet tried from it.
  type Frame = { positions: number[]; values: ValueId[]; moves: [number, boolean][] };
  const enter = (positions: number[], values: ValueId[]): Frame | 'done' => {
    takeReads(sessions, positions, values);
    const placed = positions.reduce((sum, p) => sum + p, 0);
    if (placed > deepest.placed) deepest = { placed, positions: [...positions] };
    if (positions.every((p, s) => p === sessions[s].length)) return 'done';
    return { positions, values, moves: movesFrom(sessions, positions, values) };
  };
  const start = enter(sessions.map(() => 0), Array.from({ length: keys.size }, () => initial));
  if (start === 'done') return { holds: true };
  const stack: Frame[] = [start];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const move = frame.moves.pop();
    if (!move) {
      refuted.add(stateKey(frame.positions, frame.values));
      stack.pop();
      continue;
    }
    if (++expanded > budget) {
      return { holds: 'unknown', reason: `the search for a sequential order ran out of its ${budget}-step budget` };
    }
    const [session, apply] = move;
    const positions = [...frame.positions];
    const values = [...frame.values];
    const step = sessions[session][positions[session]++];
    if (apply && step.wrote !== undefined) values[step.key] = step.wrote;
    if (refuted.has(stateKey(positions, values))) continue;
    const next = enter(positions, values);
    if (next === 'done') return { holds: true };
    stack.push(next);
  }
  const blocked = deepest.positions.flatMap((p, s) => (p < sessions[s].length ? [sessions[s][p].op] : []));
  return {
    holds: false,
    evidence: {
      ops: blocked.map((op) => op.id),
      reason:
        `not sequentially consistent: no interleaving of the processes' operations, each process in its own order, explains every read; ` +
        `the furthest any gets is ${deepest.placed} operation(s), after which none of ${blocked.map(operationBrief).join(', ')} can come next`,
    },
  };
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

function takeReads(sessions: readonly Step[][], positions: number[], values: readonly ValueId[]): void {
  sessions.forEach((steps, s) => {
    while (positions[s] < steps.length && steps[positions[s]].kind === 'read' && steps[positions[s]].seen === values[steps[positions[s]].key]) positions[s]++;
  });
}

/** [session, apply]: apply the session's next write or cas, or (for an :info one) skip it as never having happened. */
function movesFrom(sessions: readonly Step[][], positions: readonly number[], values: readonly ValueId[]): [number, boolean][] {
  const moves: [number, boolean][] = [];
  sessions.forEach((steps, s) => {
    const step = steps[positions[s]];
    if (!step || step.kind === 'read') return;
    if (step.maybe) moves.push([s, false]);
    if (step.kind === 'write' || step.seen === values[step.key]) moves.push([s, true]);
  });
  return moves;
}

function stateKey(positions: readonly number[], values: readonly ValueId[]): string {
  return `${positions.join(',')}\u0001${values.map(String).join('\u0001')}`;
}
