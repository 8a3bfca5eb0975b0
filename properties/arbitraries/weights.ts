// How often each kind of unit is drawn, relative to the others (whole numbers; 0 leaves it out).
// Mostly deliveries and ticks, so the cluster makes progress between faults and histories show what
// a fault did rather than a cluster stalled by one fault after another.

export interface ScheduleWeights {
  readonly invoke: number;
  readonly timeout: number;
  /** A waiting client sends its request again, to the next node. */
  readonly retry: number;
  readonly deliver: number;
  readonly drop: number;
  readonly duplicate: number;
  readonly tick: number;
  /** A burst of ticks at one node: time passing there, long enough for an election timeout. */
  readonly ticks: number;
  /** A crash with its restart. */
  readonly crash: number;
  /** A pause with its resume: a node stopped with its state intact (a garbage-collection pause, SIGSTOP). */
  readonly pause: number;
  /** A partition with its heal. */
  readonly partition: number;
  /** A one-way cut with its heal. */
  readonly cut: number;
  readonly promote: number;
  readonly demote: number;
  /** A node's clock starts to run slow, true or fast: drawn only for a system that declares a drift. */
  readonly clock: number;
  /** A node of the schedule's choosing times out, stands and takes over (deep-units.ts). */
  readonly elect: number;
  /** A write sent and carried through until acknowledged. */
  readonly ackedWrite: number;
  /** A write held by the leader and exactly one follower, the others cut off from it for a while. */
  readonly replicateToOne: number;
  /** The leader appends a write and crashes before it is everywhere, restarting later. */
  readonly crashAfterAppend: number;
  /** Two to four leader changes in a row, a write under each. */
  readonly leaderChain: number;
  /** A node cut off, another elected and written to, then a read at the one cut off. */
  readonly depose: number;
  /** Two nodes stand at once while a voter restarts between their requests; a write to each. */
  readonly splitVote: number;
  /** A leader re-elected after a rival's short reign, crashing right after (Raft's Figure 8). */
  readonly reelect: number;
  /** A heartbeat and a write from the leader arrive newest first; the leader then crashes. */
  readonly overtake: number;
}

export const DEFAULT_WEIGHTS: ScheduleWeights = {
  invoke: 16,
  timeout: 2,
  retry: 1,
  deliver: 32,
  drop: 3,
  duplicate: 2,
  tick: 12,
  ticks: 4,
  crash: 2,
  pause: 1,
  partition: 2,
  cut: 1,
  promote: 1,
  demote: 1,
  clock: 2,
  // The deep units are drawn by the swarm profiles (profiles.ts), which each schedule picks from unless
  // swarm is off: the plain mixture is these weights alone.
  elect: 0,
  ackedWrite: 0,
  replicateToOne: 0,
  crashAfterAppend: 0,
  leaderChain: 0,
  depose: 0,
  splitVote: 0,
  reelect: 0,
  overtake: 0,
};

/** Throws a RangeError naming a weight that is not a whole number, or when every weight is 0. */
export function validateWeights(weights: ScheduleWeights): void {
  for (const [name, weight] of Object.entries(weights)) {
    if (!Number.isInteger(weight) || weight < 0) throw new RangeError(`weight ${name} must be a whole number, got ${weight}`);
  }
  if (Object.values(weights).every((w) => w === 0)) throw new RangeError('at least one weight must be above 0');
}
