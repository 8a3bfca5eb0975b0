import type { Operation } from '../operation.ts';
import type { Value } from '../value.ts';

// A sequential specification: what one object (a register, a lock, ...) does when operations reach it
// one at a time. The linearizability search treats State and Call as opaque and only calls these
// functions, so adding a data type means adding one file in specs/ and nothing else.

/** An operation in a model's own terms, or why the model cannot take it. */
export type Reading<Call> = { readonly call: Call } | { readonly problem: string };

export interface Spec<State, Call> {
  /** e.g. "cas-register". */
  readonly name: string;
  /** The operation names (`f`) the model takes, for messages about ones it does not. */
  readonly accepts: readonly string[];
  /**
   * The operation as this model sees it. An :info operation's outcome is unknown, so its call must say
   * only what it asked (a read that may have seen anything, a write that may have happened).
   */
  read(op: Operation): Reading<Call>;
  /**
   * Which calls can never change a verdict and may be left out before the search: an indeterminate read,
   * an indeterminate write of a value nothing observes. Must be sound: it sees the whole partition.
   */
  droppable(calls: readonly Call[]): readonly boolean[];
  /**
   * Whether the call is a pure observation: once it leaves a state unchanged, it leaves unchanged (or
   * cannot take effect in) every state reachable from there, as a read does. The search linearizes such a
   * call as soon as it can, without trying anything else first: that never loses a linearization.
   */
  readOnly(call: Call): boolean;
  /**
   * Equal for calls that act alike from every state (two writes of the same value). Of several alike
   * indeterminate calls, the search tries only the earliest invoked: it can stand in for any later one.
   */
  callKey(call: Call): string;
  init(): State;
  /**
   * The same model started from `initial` instead of its usual first state (a register at 0 rather than
   * nil, as Jepsen's `(model/cas-register 0)`); absent for a model that has no such choice.
   */
  startingAt?(initial: Value): Spec<State, Call>;
  /** The state after `call` takes effect in `state`, or undefined if it cannot, given what it reported. */
  step(state: State, call: Call): State | undefined;
  equal(a: State, b: State): boolean;
  /** A 32-bit hash; equal states must hash alike. */
  hash(state: State): number;
  describe(state: State): string;
  describeCall(call: Call): string;
  /**
   * Optional lookahead, for a spec whose states say much about what must come (a string only grows
   * under appends, so a get still to come must see an extension of it). Given the search's calls in
   * invocation order with their real-time positions, once per search, it returns a test of whether a
   * state is a dead end, given which calls are still to be linearized, and the horizon: the completion
   * of the first ok call still to be linearized, so every call invoked after it is still to be too.
   * Must be sound: true only when no linearization can go on from there. The search skips such
   * configurations at once.
   */
  lookahead?(calls: readonly TimedCall<Call>[]): (state: State, pending: (index: number) => boolean, horizon: number) => boolean;
}

/** A call with its place in real time: positions of its invocation and its ok completion (-1: none). */
export interface TimedCall<Call> {
  readonly call: Call;
  readonly invoke: number;
  readonly complete: number;
}

/** A spec whose types the caller does not know: the registry holds specs of different types. */
// biome-ignore lint/suspicious/noExplicitAny: a spec's types are both read and written by its methods (invariant), so no unknown/never fits every spec; `any` is the existential here
export type AnySpec = Spec<any, any>;
