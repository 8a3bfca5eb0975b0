import type { Policy } from '../../models/index.ts';
import { leaderFollower, systemShape } from '../../models/index.ts';

// What a schedule's numbers range over. The model takes every index modulo what exists, so any number
// is valid; drawing from the real ranges just spends the runs on distinct choices.

export interface ScheduleShape {
  /** The largest cluster: node numbers are drawn below it (a smaller cluster takes them modulo its size). */
  readonly nodes: number;
  /** Every cluster size the subject runs at, its default first: with more than one, each schedule draws one. */
  readonly sizes?: readonly number[];
  readonly clients: number;
  readonly keys: number;
  /** Ticks the slowest node waits for a leader before it stands: the longest useful burst of ticks. */
  readonly patience: number;
  /** The clock drift the system declares: clock actions are drawn only when it is above 0. */
  readonly drift?: number;
}

/** The built-in design's shape is the shape of the system it runs as. */
export function shapeOf(policy: Policy): ScheduleShape {
  return systemShape(leaderFollower(policy));
}
