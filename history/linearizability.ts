import { ConfigMemo, InfoSets } from './config-memo.ts';
import type { Spec } from './spec.ts';
import { IMPOSSIBLE, SpecStates } from './spec-states.ts';
import { mix32 } from './value-hash.ts';

// The Wing–Gong linearizability search with Lowe's memo (WGL), as Porcupine and Knossos run it, over one
// partition of a history. Calls and returns sit in real-time order in a doubly linked list; the search
// walks it from the head trying each call whose invocation comes before the first pending return,
// linearizes one (lifting its call and return out of the list), and starts over; at a return it cannot
// pass it backtracks. A configuration (linearized set, state) already explored is never explored again.
//
// Indeterminate operations are first-class: an :info op has a call but no return, so it may be
// linearized at any point after its invocation, and the search succeeds once every ok op is linearized,
// leaving the info ops that never took effect out. In each configuration ok calls are tried before info
// calls: an info op is usually needed only when the ok ops cannot go on without it.

export interface SearchOp<Call> {
  /** The operation's id in its History, used in the evidence. */
  readonly id: number;
  readonly call: Call;
  /** Position of the invocation in real-time order. */
  readonly invoke: number;
  /** Position of the ok completion, after `invoke`; -1 for an indeterminate op. */
  readonly complete: number;
}

export interface SearchLimits {
  /** Search steps allowed before giving up with verdict unknown: reproducible. */
  readonly steps?: number;
  /** Polled every few thousand steps; true gives up with verdict unknown. */
  readonly expired?: () => boolean;
}

export type SearchOutcome =
  | {
      readonly verdict: 'valid';
      readonly steps: number;
      /** Operation ids in linearization order. */
      readonly linearization: readonly number[];
      readonly finalState: string;
    }
  | {
      readonly verdict: 'invalid';
      readonly steps: number;
      /** The deepest linearizable prefix the search reached, as operation ids. */
      readonly longestPrefix: readonly number[];
      readonly stateAfterPrefix: string;
      /** Every operation real time allows next after that prefix; the spec takes none of them. */
      readonly stuck: readonly number[];
    }
  | { readonly verdict: 'unknown'; readonly steps: number; readonly exhausted: 'steps' | 'time' };

const HEAD = 0;
const NIL = -1;
const TIME_CHECK_MASK = 4095;

/**
 * List entries: 0 is the head; operation i has its call at 2i+1 and its return (ok ops only) at 2i+2,
 * so odd entries are calls and an entry's operation is (entry - 1) >> 1.
 */
export function searchLinearization<State, Call>(
  spec: Spec<State, Call>,
  input: readonly SearchOp<Call>[],
  limits: SearchLimits = {},
): SearchOutcome {
  const ops = [...input].sort((a, b) => a.invoke - b.invoke);
  const m = ops.length;
  const states = new SpecStates(
    spec,
    ops.map((op) => op.call),
  );
  const initial = states.intern(spec.init());

  // Ok ops get ranks 0.. by invocation, info ops their own ranks 0..
  const okRank = new Int32Array(m);
  const infoRank = new Int32Array(m);
  let nOk = 0;
  let nInfo = 0;
  for (let i = 0; i < m; i++) {
    okRank[i] = ops[i].complete >= 0 ? nOk++ : -1;
    infoRank[i] = ops[i].complete >= 0 ? -1 : nInfo++;
  }
  if (nOk === 0) return { verdict: 'valid', steps: 0, linearization: [], finalState: spec.describe(spec.init()) };

  const { next, prev } = linkEntries(ops);
  const windowEnd = okWindows(ops, nOk);
  const okBits = new Uint32Array((nOk + 31) >> 5);
  const infoBits = new Uint32Array((nInfo + 31) >> 5);
  const memo = new ConfigMemo(okBits, windowEnd);
  const infoSets = new InfoSets(infoBits.length);
  const [zobLo, zobHi] = zobristKeys(m);

  const stackEntry = new Int32Array(m);
  const stackState = new Int32Array(m);
  const stackInfoSet = new Int32Array(m);
  let depth = 0;

  let state = initial;
  let lo = 0;
  let remaining = nOk;
  let setLo = 0;
  let setHi = 0;
  let infoLo = 0;
  let infoHi = 0;
  let infoSet = infoSets.add(0, 0, infoBits);

  // The deepest dead end so far, kept as it is found: copying only the part of the stack that changed
  // since the last record keeps this linear in the work done, and memory at one prefix.
  const best = new Int32Array(m);
  let bestDepth = -1;
  let bestState = initial;
  let bestStuck: number[] = [];
  let unchangedBelow = 0;

  const maxSteps = limits.steps ?? Number.POSITIVE_INFINITY;
  let steps = 0;
  let infoPhase = false;
  let entry = next[HEAD];

  for (;;) {
    if (++steps > maxSteps) return { verdict: 'unknown', steps: steps - 1, exhausted: 'steps' };
    if ((steps & TIME_CHECK_MASK) === 0 && limits.expired?.()) return { verdict: 'unknown', steps, exhausted: 'time' };

    if (entry === NIL || (entry & 1) === 0) {
      // A return: nothing invoked after it can come before its operation. Ok candidates are exhausted;
      // try the info ones, then give up on this configuration.
      if (!infoPhase && nInfo > 0) {
        infoPhase = true;
        entry = next[HEAD];
        continue;
      }
      if (depth > bestDepth) {
        for (let i = unchangedBelow; i < depth; i++) best[i] = stackEntry[i];
        bestDepth = depth;
        unchangedBelow = depth;
        bestState = state;
        bestStuck = candidates(next).map((op) => ops[op].id);
      }
      if (depth === 0) {
        return {
          verdict: 'invalid',
          steps,
          longestPrefix: Array.from(best.subarray(0, bestDepth), (e) => ops[(e - 1) >> 1].id),
          stateAfterPrefix: spec.describe(states.state(bestState)),
          stuck: bestStuck,
        };
      }
      depth--;
      if (depth < unchangedBelow) unchangedBelow = depth;
      const lifted = stackEntry[depth];
      const op = (lifted - 1) >> 1;
      state = stackState[depth];
      setLo ^= zobLo[op];
      setHi ^= zobHi[op];
      const r = okRank[op];
      if (r >= 0) {
        okBits[r >> 5] &= ~(1 << (r & 31));
        if (r < lo) lo = r;
        remaining++;
        const ret = lifted + 1;
        next[prev[ret]] = ret;
        if (next[ret] !== NIL) prev[next[ret]] = ret;
      } else {
        const q = infoRank[op];
        infoBits[q >> 5] &= ~(1 << (q & 31));
        infoLo ^= zobLo[op];
        infoHi ^= zobHi[op];
        infoSet = stackInfoSet[depth];
      }
      next[prev[lifted]] = lifted;
      if (next[lifted] !== NIL) prev[next[lifted]] = lifted;
      infoPhase = r < 0;
      entry = next[lifted];
      continue;
    }

    const op = (entry - 1) >> 1;
    const r = okRank[op];
    if ((r < 0) !== infoPhase) {
      entry = next[entry];
      continue;
    }
    const after = states.step(state, op);
    if (after === IMPOSSIBLE) {
      entry = next[entry];
      continue;
    }

    // Would linearizing op here reach a configuration not yet explored?
    let nextLo = lo;
    let nextInfoSet = infoSet;
    let q = -1;
    if (r >= 0) {
      okBits[r >> 5] |= 1 << (r & 31);
      if (r === lo) {
        nextLo++;
        while (nextLo < nOk && (okBits[nextLo >> 5] >>> (nextLo & 31)) & 1) nextLo++;
      }
    } else {
      q = infoRank[op];
      infoBits[q >> 5] |= 1 << (q & 31);
      const lo32 = infoLo ^ zobLo[op];
      const hi32 = infoHi ^ zobHi[op];
      nextInfoSet = infoSets.find(lo32, hi32, infoBits);
      if (nextInfoSet < 0) nextInfoSet = infoSets.add(lo32, hi32, infoBits);
    }
    const hashLo = setLo ^ zobLo[op];
    const hashHi = setHi ^ zobHi[op];
    const fresh =
      nextLo === nOk ||
      memo.add(hashLo ^ mix32(after), hashHi ^ mix32(after ^ 0x5851f42d), after, nextInfoSet, nextLo);
    if (!fresh) {
      if (r >= 0) okBits[r >> 5] &= ~(1 << (r & 31));
      else infoBits[q >> 5] &= ~(1 << (q & 31));
      entry = next[entry];
      continue;
    }

    stackEntry[depth] = entry;
    stackState[depth] = state;
    stackInfoSet[depth] = infoSet;
    depth++;
    state = after;
    setLo = hashLo;
    setHi = hashHi;
    lo = nextLo;
    next[prev[entry]] = next[entry];
    if (next[entry] !== NIL) prev[next[entry]] = prev[entry];
    if (r >= 0) {
      const ret = entry + 1;
      next[prev[ret]] = next[ret];
      if (next[ret] !== NIL) prev[next[ret]] = prev[ret];
      if (--remaining === 0) {
        return {
          verdict: 'valid',
          steps,
          linearization: Array.from(stackEntry.subarray(0, depth), (e) => ops[(e - 1) >> 1].id),
          finalState: spec.describe(states.state(state)),
        };
      }
    } else {
      infoLo ^= zobLo[op];
      infoHi ^= zobHi[op];
      infoSet = nextInfoSet;
    }
    infoPhase = false;
    entry = next[HEAD];
  }
}

/** The doubly linked list of calls and returns in real-time order. */
function linkEntries(ops: readonly SearchOp<unknown>[]): { next: Int32Array; prev: Int32Array } {
  const m = ops.length;
  const returns = ops
    .map((op, i) => i)
    .filter((i) => ops[i].complete >= 0)
    .sort((a, b) => ops[a].complete - ops[b].complete);
  const next = new Int32Array(2 * m + 1).fill(NIL);
  const prev = new Int32Array(2 * m + 1).fill(NIL);
  let last = HEAD;
  const append = (entry: number) => {
    next[last] = entry;
    prev[entry] = last;
    last = entry;
  };
  let c = 0;
  let r = 0;
  while (c < m || r < returns.length) {
    if (r >= returns.length || (c < m && ops[c].invoke < ops[returns[r]].complete)) append(2 * c++ + 1);
    else append(2 * returns[r++] + 2);
  }
  return { next, prev };
}

/**
 * For each lo (the first ok rank not linearized), one past the last okBits word that may hold a
 * linearized op: only ok ops invoked before lo returned can be linearized while lo is not.
 */
function okWindows(ops: readonly SearchOp<unknown>[], nOk: number): Int32Array {
  const invokes: number[] = [];
  const completes: number[] = [];
  for (const op of ops) {
    if (op.complete >= 0) {
      invokes.push(op.invoke);
      completes.push(op.complete);
    }
  }
  const windowEnd = new Int32Array(nOk + 1);
  for (let lo = 0; lo < nOk; lo++) {
    // The number of ok ops invoked before lo's completion (invokes ascend).
    let a = lo + 1;
    let b = nOk;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (invokes[mid] < completes[lo]) a = mid + 1;
      else b = mid;
    }
    windowEnd[lo] = ((a - 1) >> 5) + 1;
  }
  return windowEnd;
}

/** Candidates for the next linearization point: every call before the first pending return. */
function candidates(next: Int32Array): number[] {
  const found: number[] = [];
  for (let e = next[HEAD]; e !== NIL && (e & 1) === 1; e = next[e]) found.push((e - 1) >> 1);
  return found;
}

/** Random 64-bit keys (two 32-bit halves) per operation, from a fixed seed: runs are reproducible. */
function zobristKeys(count: number): [Int32Array, Int32Array] {
  const lo = new Int32Array(count);
  const hi = new Int32Array(count);
  let seed = 0x2545f491;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) | 0;
  };
  for (let i = 0; i < count; i++) {
    lo[i] = random();
    hi[i] = random();
  }
  return [lo, hi];
}
