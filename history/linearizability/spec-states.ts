import type { Spec } from './spec.ts';

// The states a spec reaches during one search, interned to small integers, and the memo of its steps:
// the search compares and hashes integers, and asks the spec to step a call from a state only once.

const UNSEEN = -2;
/**
 * The step memo is a cache: past this many entries it starts afresh rather than outgrow a Map (whose
 * limit is 2^24 entries). A search through millions of states (string appends in every order) then
 * steps some calls again, and never fails for it.
 */
const STEP_MEMO_LIMIT = 1 << 22;
/** The step result for a call that cannot take effect. */
export const IMPOSSIBLE = -1;

export class SpecStates<State, Call> {
  private readonly states: State[] = [];
  /** hash -> first state id with it; further ones chain through sameHash. */
  private readonly byHash = new Map<number, number>();
  private readonly sameHash: number[] = [];
  /** The last (from -> to) step of each call: searches mostly retry a call from the state they just left. */
  private readonly lastFrom: Int32Array;
  private readonly lastTo: Int32Array;
  private readonly steps = new Map<number, number>();

  constructor(
    private readonly spec: Spec<State, Call>,
    private readonly calls: readonly Call[],
  ) {
    this.lastFrom = new Int32Array(calls.length).fill(UNSEEN);
    this.lastTo = new Int32Array(calls.length);
  }

  get count(): number {
    return this.states.length;
  }

  state(id: number): State {
    return this.states[id];
  }

  intern(state: State): number {
    const h = this.spec.hash(state) | 0;
    let id = this.byHash.get(h);
    let last = -1;
    while (id !== undefined && id !== -1) {
      if (this.spec.equal(this.states[id], state)) return id;
      last = id;
      id = this.sameHash[id];
    }
    const added = this.states.length;
    this.states.push(state);
    this.sameHash.push(-1);
    if (last === -1) this.byHash.set(h, added);
    else this.sameHash[last] = added;
    return added;
  }

  /** The state id after call number `call` from state `from`, or IMPOSSIBLE. */
  step(from: number, call: number): number {
    if (this.lastFrom[call] === from) return this.lastTo[call];
    const key = from * this.calls.length + call;
    let to = this.steps.get(key);
    if (to === undefined) {
      const after = this.spec.step(this.states[from], this.calls[call]);
      to = after === undefined ? IMPOSSIBLE : this.intern(after);
      if (this.steps.size >= STEP_MEMO_LIMIT) this.steps.clear();
      this.steps.set(key, to);
    }
    this.lastFrom[call] = from;
    this.lastTo[call] = to;
    return to;
  }
}
