// Actions: plain JSON data, a union on `kind`. Every number in an action is a choice among what exists
// when the action runs, taken modulo its count (node 4 of 3 is n2; message 7 of 2 in flight is the
// second), so any action means something in any state: dropping steps from a schedule, or generating
// one blindly, never makes it invalid. An action that cannot apply is a recorded no-op, never an error.

/** What a client asks: lin-kv's read, write and cas, and append to a list. */
export type OpF = 'read' | 'write' | 'cas' | 'append';

export const OP_FUNCTIONS: readonly OpF[] = ['read', 'write', 'cas', 'append'];

export type Action =
  /**
   * The run's cluster has `nodes` nodes: one of the sizes the system runs at (System.sizes). Only a
   * schedule's first action chooses; anywhere else, or naming a size the system does not run at, it
   * is a no-op.
   */
  | { readonly kind: 'cluster'; readonly nodes: number }
  /**
   * Client `client` starts an operation on key `key`, sent to the leader it knows (or, offloaded, a
   * follower) unless `node` names the node it connects to. A cas expects the `pick`-th newest value
   * written to the key.
   */
  | {
      readonly kind: 'invoke';
      readonly client: number;
      readonly f: OpF;
      readonly key: number;
      readonly node?: number;
      readonly pick?: number;
    }
  /** Client `client` stops waiting for its operation. */
  | { readonly kind: 'timeout'; readonly client: number }
  /**
   * Client `client`, still waiting, sends its request again, the very same (its msg_id too), to the
   * next node: as a client does whose connection timed out. The first answer completes the operation;
   * an error no longer fails it, since another copy may still take effect (a timeout makes it info).
   */
  | { readonly kind: 'retry'; readonly client: number }
  /** Message `pick` in flight arrives (or is lost, if its link is cut or its receiver is down). */
  | { readonly kind: 'deliver'; readonly pick: number }
  | { readonly kind: 'drop'; readonly pick: number }
  | { readonly kind: 'duplicate'; readonly pick: number }
  /** One tick of node `node`'s clock: heartbeats, election timeouts, log flushes. */
  | { readonly kind: 'tick'; readonly node: number }
  | { readonly kind: 'crash'; readonly node: number }
  | { readonly kind: 'restart'; readonly node: number }
  /**
   * Node `node` stops (a process: SIGSTOP) and later resumes (SIGCONT) with its state intact: while
   * paused it handles no message and no tick; what reaches it waits, in order, until it resumes.
   */
  | { readonly kind: 'pause'; readonly node: number }
  | { readonly kind: 'resume'; readonly node: number }
  /** Node i goes to group groups[i] (0 if missing); only nodes in the same group can talk. Replaces all cuts. */
  | { readonly kind: 'partition'; readonly groups: readonly number[] }
  /** Messages from `from` to `to` are lost from now on (one way), on top of other cuts. */
  | { readonly kind: 'cut'; readonly from: number; readonly to: number }
  | { readonly kind: 'heal' }
  /**
   * Node `node`'s clock runs slow (`rate` -1), true (0) or fast (1) from now on, by the drift the
   * system declares (System.drift; a no-op when it declares none). `rate` is taken modulo 3 as -1, 0, 1.
   */
  | { readonly kind: 'clock'; readonly node: number; readonly rate: number }
  /** Operator failover: make `node` leader (or, fenced, make it stand for election now). */
  | { readonly kind: 'promote'; readonly node: number }
  | { readonly kind: 'demote'; readonly node: number };

export type ActionKind = Action['kind'];

export type Schedule = readonly Action[];

/** `choice` as an index into `count` things: any number (negative, fractional, huge) lands in range. */
export function choose(choice: number | undefined, count: number): number {
  const whole = Number.isFinite(choice) ? Math.trunc(choice as number) : 0;
  const index = whole % count;
  return index < 0 ? index + count : index;
}
