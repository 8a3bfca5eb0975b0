import type { Policy } from '../../models/index.ts';

// What a schedule's numbers range over. The model takes every index modulo what exists, so any number
// is valid; drawing from the real ranges just spends the runs on distinct choices.

export interface ScheduleShape {
  readonly nodes: number;
  readonly clients: number;
  readonly keys: number;
  /** Ticks the slowest node waits for a leader before it gives up: the longest useful burst of ticks. */
  readonly patience: number;
}

export function shapeOf(policy: Policy): ScheduleShape {
  return { nodes: policy.nodes, clients: policy.clients, keys: policy.keys, patience: policy.electionTimeout + policy.nodes - 1 };
}
