// How often each kind of unit is drawn, relative to the others (whole numbers; 0 leaves it out).
// Mostly deliveries and ticks, so the cluster makes progress between faults and histories show what
// a fault did rather than a cluster stalled by one fault after another.

export interface ScheduleWeights {
  readonly invoke: number;
  readonly timeout: number;
  readonly deliver: number;
  readonly drop: number;
  readonly duplicate: number;
  readonly tick: number;
  /** A burst of ticks at one node: time passing there, long enough for an election timeout. */
  readonly ticks: number;
  /** A crash with its restart. */
  readonly crash: number;
  /**
   * A pause with its resume. 0 by default: the built-in model has no pause yet, so only systems are
   * given them (leaderlog test --node draws them; give a weight to have an in-process system's).
   */
  readonly pause: number;
  /** A partition with its heal. */
  readonly partition: number;
  /** A one-way cut with its heal. */
  readonly cut: number;
  readonly promote: number;
  readonly demote: number;
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
}

export const DEFAULT_WEIGHTS: ScheduleWeights = {
  invoke: 16,
  timeout: 2,
  deliver: 32,
  drop: 3,
  duplicate: 2,
  tick: 12,
  ticks: 4,
  crash: 2,
  pause: 0,
  partition: 2,
  cut: 1,
  promote: 1,
  demote: 1,
  // The deep units are drawn by the swarm profiles (profiles.ts), not by default: the default draws,
  // and so every saved counterexample's seed and path, stay as they were.
  elect: 0,
  ackedWrite: 0,
  replicateToOne: 0,
  crashAfterAppend: 0,
  leaderChain: 0,
};

/** Throws a RangeError naming a weight that is not a whole number, or when every weight is 0. */
export function validateWeights(weights: ScheduleWeights): void {
  for (const [name, weight] of Object.entries(weights)) {
    if (!Number.isInteger(weight) || weight < 0) throw new RangeError(`weight ${name} must be a whole number, got ${weight}`);
  }
  if (Object.values(weights).every((w) => w === 0)) throw new RangeError('at least one weight must be above 0');
}
