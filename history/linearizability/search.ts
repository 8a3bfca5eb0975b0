import { ConfigMemo, InfoSets, memoCapacity } from './config-memo.ts';
import type { Spec } from './spec.ts';
import { IMPOSSIBLE, SpecStates } from './spec-states.ts';
import { mix32 } from './value-hash.ts';

// The Wing–Gong linearizability search with Lowe's memo (WGL), as Porcupine and Knossos run it, over one
// partition of a history. Calls and returns of ok operations sit in real-time order in a doubly linked
// list; the candidates to linearize next are the calls before the first pending return (that return's
// operation, the target, must come before anything invoked after it). The search linearizes one
// (lifting its call and return out of the list) and goes on; when nothing can go, it backtracks. A
// configuration (linearized set, state) already explored is never explored again, nor is one that
// differs from an explored one only by having used more info ops (see config-memo.ts).
//
// Indeterminate operations are first-class: an :info op has a call but no return, so it may be
// linearized at any point after its invocation, or never; the search succeeds once every ok op is.
// Info ops are kept apart from the list, grouped by what they do (alike calls: the spec's callKey);
// of a group only the earliest unused one is ever tried, since it can stand in for any later one.
//
// Which candidate is tried first decides how fast a valid history is proved, never the verdict:
// 1. a read-only call that can go now, taken at once with no alternatives (moving a pure observation
//    earlier never breaks a linearization, so its siblings need no exploring);
// 2. the target itself, so operations take effect as late as they may unless something needs them;
// 3. the calls after which the target can take effect (the write a pending read saw);
// 4. the other ok calls; 5. and 6. the info calls, enablers first.

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
  /** Polled every few thousand steps with the steps so far; true gives up with verdict unknown. */
  readonly expired?: (steps: number) => boolean;
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
      /**
       * Every operation real time allows next after that prefix (of alike info ops, the earliest unused);
       * none of them leads to a linearization: the spec refuses each, or all that could follow fails.
       */
      readonly stuck: readonly number[];
    }
  | { readonly verdict: 'unknown'; readonly steps: number; readonly exhausted: 'steps' | 'time' };

const FORCED = 0;
const TARGET = 1;
const ENABLERS = 2;
const OK_CALLS = 3;
const INFO_ENABLERS = 4;
const INFO_CALLS = 5;

const HEAD = 0;
const NIL = -1;
const NONE = -1;
const TIME_CHECK_MASK = 4095;

/** Random 64-bit keys (two 32-bit halves) for `count` operations: the Zobrist hash of a set xors them. */
export type HashKeys = (count: number) => [Int32Array, Int32Array];

/**
 * @param hashKeys only tests pass their own (all zero, so every configuration collides) to show that
 *   the memo's exact comparison alone keeps the verdicts right.
 */
export function searchLinearization<State, Call>(
  spec: Spec<State, Call>,
  input: readonly SearchOp<Call>[],
  limits: SearchLimits = {},
  hashKeys: HashKeys = zobristKeys,
): SearchOutcome {
  const ops = [...input].sort((a, b) => a.invoke - b.invoke);
  if (!ops.some((op) => op.complete >= 0)) {
    return { verdict: 'valid', steps: 0, linearization: [], finalState: spec.describe(spec.init()) };
  }
  return new Search(spec, ops, limits, hashKeys).run();
}

/**
 * One search. List entries: 0 is the head; operation i has its call at 2i+1 and its return at 2i+2
 * (ok operations only), so odd entries are calls and an entry's operation is (entry - 1) >> 1.
 */
class Search<State, Call> {
  private readonly states: SpecStates<State, Call>;
  private readonly nOk: number;
  /** Ok ops ranked 0.. by invocation; -1 for info ops. */
  private readonly okRank: Int32Array;
  /** Info ops ranked 0.. by invocation; -1 for ok ops. */
  private readonly infoRank: Int32Array;
  private readonly readOnly: Uint8Array;
  /** Info ops by group of alike calls: group g holds likeMembers[likeStart[g] .. likeStart[g + 1]). */
  private readonly likeGroup: Int32Array;
  private readonly likeMembers: Int32Array;
  private readonly likeStart: Int32Array;
  /** How many of each group are linearized: always its first few. */
  private readonly likeUsed: Int32Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly okBits: Uint32Array;
  private readonly infoBits: Uint32Array;
  private readonly memo: ConfigMemo;
  private readonly infoSets: InfoSets;
  private readonly zobLo: Int32Array;
  private readonly zobHi: Int32Array;

  private state: number;
  /** The first ok rank not linearized. */
  private lo = 0;
  private remaining: number;
  /** Zobrist hashes of the linearized set's ok part and of its info part. */
  private okLo = 0;
  private okHi = 0;
  private infoLo = 0;
  private infoHi = 0;
  private infoSet: number;

  private depth = 0;
  private readonly stackOp: Int32Array;
  private readonly stackState: Int32Array;
  private readonly stackInfoSet: Int32Array;
  private readonly stackPhase: Uint8Array;
  private readonly stackTarget: Int32Array;

  private phase = FORCED;
  /** A list entry in the list phases, a group in the info phases. */
  private cursor: number;
  private target = NONE;
  private steps = 0;

  // The deepest dead end so far, kept as it is found: copying only the part of the stack that changed
  // since the last record keeps this linear in the work done, and memory at one prefix.
  private readonly best: Int32Array;
  private bestDepth = -1;
  private bestState = 0;
  private bestStuck: number[] = [];
  private unchangedBelow = 0;

  /** The spec's lookahead, if it has one: whether a state can reach no linearization from here. */
  private readonly deadEnd: ((state: State, pending: (index: number) => boolean, horizon: number) => boolean) | undefined;
  private readonly pending = (i: number): boolean => {
    const r = this.okRank[i];
    if (r >= 0) return ((this.okBits[r >> 5] >>> (r & 31)) & 1) === 0;
    const q = this.infoRank[i];
    return ((this.infoBits[q >> 5] >>> (q & 31)) & 1) === 0;
  };

  constructor(
    private readonly spec: Spec<State, Call>,
    private readonly ops: readonly SearchOp<Call>[],
    private readonly limits: SearchLimits,
    hashKeys: HashKeys,
  ) {
    const m = ops.length;
    this.states = new SpecStates(
      spec,
      ops.map((op) => op.call),
    );
    this.state = this.states.intern(spec.init());
    this.okRank = new Int32Array(m);
    this.infoRank = new Int32Array(m);
    let nOk = 0;
    let nInfo = 0;
    for (let i = 0; i < m; i++) {
      this.okRank[i] = ops[i].complete >= 0 ? nOk++ : -1;
      this.infoRank[i] = ops[i].complete >= 0 ? -1 : nInfo++;
    }
    this.nOk = nOk;
    this.remaining = nOk;
    this.readOnly = Uint8Array.from(ops, (op) => (op.complete >= 0 && spec.readOnly(op.call) ? 1 : 0));
    ({ group: this.likeGroup, members: this.likeMembers, start: this.likeStart } = likeGroups(spec, ops));
    this.likeUsed = new Int32Array(this.likeStart.length - 1);
    ({ next: this.next, prev: this.prev } = linkEntries(ops));
    this.okBits = new Uint32Array((nOk + 31) >> 5);
    this.infoBits = new Uint32Array((nInfo + 31) >> 5);
    this.infoSets = new InfoSets(this.infoBits.length);
    this.deadEnd = spec.lookahead?.(ops);
    this.memo = new ConfigMemo(this.okBits, this.infoBits, this.infoSets, okWindows(ops, nOk), memoCapacity(m));
    this.infoSet = this.infoSets.add(0, 0, this.infoBits);
    [this.zobLo, this.zobHi] = hashKeys(m);
    this.stackOp = new Int32Array(m);
    this.stackState = new Int32Array(m);
    this.stackInfoSet = new Int32Array(m);
    this.stackPhase = new Uint8Array(m);
    this.stackTarget = new Int32Array(m);
    this.best = new Int32Array(m);
    this.cursor = this.next[HEAD];
  }

  run(): SearchOutcome {
    const maxSteps = this.limits.steps ?? Number.POSITIVE_INFINITY;
    for (;;) {
      if (++this.steps > maxSteps) return { verdict: 'unknown', steps: maxSteps, exhausted: 'steps' };
      if ((this.steps & TIME_CHECK_MASK) === 0 && this.limits.expired?.(this.steps)) {
        return { verdict: 'unknown', steps: this.steps, exhausted: 'time' };
      }
      const op = this.nextCandidate();
      if (op === NONE) {
        const outcome = this.backtrack();
        if (outcome) return outcome;
        continue;
      }
      const after = this.states.step(this.state, op);
      if (after === IMPOSSIBLE || (this.phase === FORCED && after !== this.state)) continue;
      if (this.linearize(op, after)) {
        if (this.remaining === 0) return this.valid();
      } else if (this.phase === FORCED) {
        // A forced move is this configuration's only way on: if it leads somewhere explored, so does this.
        const outcome = this.backtrack();
        if (outcome) return outcome;
      }
    }
  }

  /** The next candidate of this configuration in the order the header describes, or NONE. */
  private nextCandidate(): number {
    const { next, ops } = this;
    for (;;) {
      const phase = this.phase;
      if (phase === TARGET) {
        this.phase = ENABLERS;
        this.cursor = next[HEAD];
        continue;
      }
      if (phase < INFO_ENABLERS) {
        const entry = this.cursor;
        if ((entry & 1) === 0) {
          // A return (there is always one while ok ops remain): this phase's candidates are done.
          if (phase === FORCED) {
            this.target = (entry - 1) >> 1;
            this.phase = TARGET;
            return this.target;
          }
          this.phase = phase === ENABLERS ? OK_CALLS : INFO_ENABLERS;
          this.cursor = phase === ENABLERS ? next[HEAD] : 0;
          continue;
        }
        this.cursor = next[entry];
        const op = (entry - 1) >> 1;
        if (phase === FORCED) {
          if (this.readOnly[op] === 1) return op;
        } else if (op !== this.target && this.enables(op) === (phase === ENABLERS)) return op;
        continue;
      }
      const group = this.cursor;
      if (group === this.likeUsed.length) {
        if (phase === INFO_CALLS) return NONE;
        this.phase = INFO_CALLS;
        this.cursor = 0;
        continue;
      }
      this.cursor++;
      const at = this.likeStart[group] + this.likeUsed[group];
      if (at === this.likeStart[group + 1]) continue;
      const op = this.likeMembers[at];
      // Invoked after the target returned: it cannot come before it.
      if (ops[op].invoke > ops[this.target].complete) continue;
      if (this.enables(op) === (phase === INFO_ENABLERS)) return op;
    }
  }

  /** Whether the target could take effect right after op. */
  private enables(op: number): boolean {
    const after = this.states.step(this.state, op);
    return after !== IMPOSSIBLE && this.states.step(after, this.target) !== IMPOSSIBLE;
  }

  /** Linearizes op, reaching state `after`, unless that configuration was explored already. */
  private linearize(op: number, after: number): boolean {
    const r = this.okRank[op];
    const okBits = this.okBits;
    let nextLo = this.lo;
    let nextInfoSet = this.infoSet;
    let q = -1;
    if (r >= 0) {
      okBits[r >> 5] |= 1 << (r & 31);
      if (r === nextLo) {
        nextLo++;
        while (nextLo < this.nOk && (okBits[nextLo >> 5] >>> (nextLo & 31)) & 1) nextLo++;
      }
    } else {
      q = this.infoRank[op];
      this.infoBits[q >> 5] |= 1 << (q & 31);
      const lo32 = this.infoLo ^ this.zobLo[op];
      const hi32 = this.infoHi ^ this.zobHi[op];
      nextInfoSet = this.infoSets.find(lo32, hi32, this.infoBits);
      if (nextInfoSet < 0) nextInfoSet = this.infoSets.add(lo32, hi32, this.infoBits);
    }
    const okLo = r >= 0 ? this.okLo ^ this.zobLo[op] : this.okLo;
    const okHi = r >= 0 ? this.okHi ^ this.zobHi[op] : this.okHi;
    const fresh =
      nextLo === this.nOk ||
      // The memo first: a configuration met again costs no lookahead. One the lookahead finds a dead end
      // stays in the memo, rightly: nothing can be linearized from it.
      (this.memo.add(okLo ^ mix32(after), okHi ^ mix32(after ^ 0x5851f42d), after, nextInfoSet, nextLo) &&
        !(this.deadEnd && after !== this.state && this.deadEnd(this.states.state(after), this.pending, this.horizon(op))));
    if (!fresh) {
      if (r >= 0) okBits[r >> 5] &= ~(1 << (r & 31));
      else this.infoBits[q >> 5] &= ~(1 << (q & 31));
      return false;
    }

    const depth = this.depth++;
    this.stackOp[depth] = op;
    this.stackState[depth] = this.state;
    this.stackInfoSet[depth] = this.infoSet;
    this.stackPhase[depth] = this.phase;
    this.stackTarget[depth] = this.target;
    this.state = after;
    this.okLo = okLo;
    this.okHi = okHi;
    this.lo = nextLo;
    if (r >= 0) {
      this.unlink(2 * op + 1);
      this.unlink(2 * op + 2);
      this.remaining--;
    } else {
      this.infoLo ^= this.zobLo[op];
      this.infoHi ^= this.zobHi[op];
      this.infoSet = nextInfoSet;
      this.likeUsed[this.likeGroup[op]]++;
    }
    this.phase = FORCED;
    this.cursor = this.next[HEAD];
    this.target = NONE;
    return true;
  }

  /** Back to the last configuration with choices left (one reached by a forced move has none). */
  private backtrack(): SearchOutcome | undefined {
    if (this.depth > this.bestDepth) this.recordDeadEnd();
    do {
      if (this.depth === 0) return this.invalid();
      this.pop();
    } while (this.stackPhase[this.depth] === FORCED);
    const op = this.stackOp[this.depth];
    this.phase = this.stackPhase[this.depth];
    this.target = this.stackTarget[this.depth];
    this.cursor = this.phase >= INFO_ENABLERS ? this.likeGroup[op] + 1 : this.next[2 * op + 1];
    return undefined;
  }

  private pop(): void {
    const depth = --this.depth;
    if (depth < this.unchangedBelow) this.unchangedBelow = depth;
    const op = this.stackOp[depth];
    this.state = this.stackState[depth];
    const r = this.okRank[op];
    if (r >= 0) {
      this.okLo ^= this.zobLo[op];
      this.okHi ^= this.zobHi[op];
      this.okBits[r >> 5] &= ~(1 << (r & 31));
      if (r < this.lo) this.lo = r;
      this.remaining++;
      // Dancing links: put back in the reverse order of removal.
      this.relink(2 * op + 2);
      this.relink(2 * op + 1);
    } else {
      const q = this.infoRank[op];
      this.infoBits[q >> 5] &= ~(1 << (q & 31));
      this.infoLo ^= this.zobLo[op];
      this.infoHi ^= this.zobHi[op];
      this.infoSet = this.stackInfoSet[depth];
      this.likeUsed[this.likeGroup[op]]--;
    }
  }

  /** Once op is linearized: the completion of the first ok op still pending (every op invoked after it is). */
  private horizon(op: number): number {
    let entry = this.next[HEAD];
    while (entry !== NIL && ((entry & 1) === 1 || entry === 2 * op + 2)) entry = this.next[entry];
    return entry === NIL ? Number.POSITIVE_INFINITY : this.ops[(entry - 1) >> 1].complete;
  }

  private unlink(entry: number): void {
    const { next, prev } = this;
    next[prev[entry]] = next[entry];
    if (next[entry] !== NIL) prev[next[entry]] = prev[entry];
  }

  private relink(entry: number): void {
    const { next, prev } = this;
    next[prev[entry]] = entry;
    if (next[entry] !== NIL) prev[next[entry]] = entry;
  }

  private recordDeadEnd(): void {
    for (let i = this.unchangedBelow; i < this.depth; i++) this.best[i] = this.stackOp[i];
    this.bestDepth = this.depth;
    this.unchangedBelow = this.depth;
    this.bestState = this.state;
    this.bestStuck = this.candidatesNow().map((op) => this.ops[op].id);
  }

  /** Every op that real time allows next: ok calls before the first pending return, and of each group
   * of alike info calls the earliest unused one invoked before that return. */
  private candidatesNow(): number[] {
    const found: number[] = [];
    let entry = this.next[HEAD];
    for (; (entry & 1) === 1; entry = this.next[entry]) found.push((entry - 1) >> 1);
    const before = this.ops[(entry - 1) >> 1].complete;
    for (let group = 0; group < this.likeUsed.length; group++) {
      const at = this.likeStart[group] + this.likeUsed[group];
      if (at < this.likeStart[group + 1] && this.ops[this.likeMembers[at]].invoke < before) found.push(this.likeMembers[at]);
    }
    return found.sort((a, b) => a - b);
  }

  private valid(): SearchOutcome {
    return {
      verdict: 'valid',
      steps: this.steps,
      linearization: Array.from(this.stackOp.subarray(0, this.depth), (op) => this.ops[op].id),
      finalState: this.spec.describe(this.states.state(this.state)),
    };
  }

  private invalid(): SearchOutcome {
    return {
      verdict: 'invalid',
      steps: this.steps,
      longestPrefix: Array.from(this.best.subarray(0, this.bestDepth), (op) => this.ops[op].id),
      stateAfterPrefix: this.spec.describe(this.states.state(this.bestState)),
      stuck: this.bestStuck,
    };
  }
}

/** Info ops grouped by alike calls, each group in invocation order. */
function likeGroups<Call>(
  spec: Pick<Spec<unknown, Call>, 'callKey'>,
  ops: readonly SearchOp<Call>[],
): { group: Int32Array; members: Int32Array; start: Int32Array } {
  const group = new Int32Array(ops.length).fill(-1);
  const byKey = new Map<string, number[]>();
  ops.forEach((op, i) => {
    if (op.complete >= 0) return;
    const key = spec.callKey(op.call);
    let members = byKey.get(key);
    if (!members) {
      members = [];
      byKey.set(key, members);
    }
    members.push(i);
  });
  const start = new Int32Array(byKey.size + 1);
  const members = new Int32Array(ops.filter((op) => op.complete < 0).length);
  let at = 0;
  let g = 0;
  for (const list of byKey.values()) {
    start[g] = at;
    for (const i of list) {
      group[i] = g;
      members[at++] = i;
    }
    g++;
  }
  start[g] = at;
  return { group, members, start };
}

/** The doubly linked list of ok calls and returns in real-time order. */
function linkEntries(ops: readonly SearchOp<unknown>[]): { next: Int32Array; prev: Int32Array } {
  const ok = ops.map((_, i) => i).filter((i) => ops[i].complete >= 0);
  const returns = [...ok].sort((a, b) => ops[a].complete - ops[b].complete);
  const next = new Int32Array(2 * ops.length + 1).fill(NIL);
  const prev = new Int32Array(2 * ops.length + 1).fill(NIL);
  let last = HEAD;
  const append = (entry: number) => {
    next[last] = entry;
    prev[entry] = last;
    last = entry;
  };
  let c = 0;
  let r = 0;
  while (c < ok.length || r < returns.length) {
    if (r >= returns.length || (c < ok.length && ops[ok[c]].invoke < ops[returns[r]].complete)) append(2 * ok[c++] + 1);
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

/** Zobrist keys from a fixed seed: runs are reproducible. */
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
