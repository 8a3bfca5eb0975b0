import type { Policy } from '../../models/index.ts';

// What a schedule's numbers range over. The model takes every index modulo what exists, so any number
// is valid; drawing from the real ranges just spends the runs on distinct choices.

export interface ScheduleShape {
  /** The largest cluster: node numbers are drawn below it (a smaller cluster takes them modulo its size). */
  readonly nodes: number;
  /** Every cluster size the subject runs at, its default first: with more than one, each schedule draws one. */
  readonly sizes?: readonly number[];
  readonly clients: number;
  readonly keys: number;
  /**
   * Ticks the slowest node waits for a leader before it gives up: the longest useful burst of ticks. (For
   * a design under leases, its election timeout: a burst that also waits out the promise would overshoot
   * the moment a lease bug needs.)
   */
  readonly patience: number;
  /** The clock drift the system declares: clock actions are drawn only when it is above 0. */
  readonly drift?: number;
}

export function shapeOf(policy: Policy): ScheduleShape {
  const sizes = [policy.nodes, ...(policy.sizes ?? []).filter((n) => n !== policy.nodes)];
  const nodes = Math.max(...sizes);
  return {
    nodes,
    ...(sizes.length > 1 && { sizes }),
    clients: policy.clients,
    keys: policy.keys,
    patience: policy.electionTimeout + nodes - 1,
    ...(policy.drift && { drift: policy.drift }),
  };
}
