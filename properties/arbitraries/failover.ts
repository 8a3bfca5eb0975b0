import fc from 'fast-check';
import type { Action } from '../../models/index.ts';
import type { ScheduleShape } from './shape.ts';

// Operator failover: the only way a new leader comes to be under manual failover, and a forced
// election under fencing. And the operator's other lever on a node's sense of time: its clock.

export function promoteArbitrary(shape: ScheduleShape): fc.Arbitrary<Action> {
  return fc.nat({ max: shape.nodes - 1 }).map((node): Action => ({ kind: 'promote', node }));
}

export function demoteArbitrary(shape: ScheduleShape): fc.Arbitrary<Action> {
  return fc.nat({ max: shape.nodes - 1 }).map((node): Action => ({ kind: 'demote', node }));
}

/** A node's clock starts to run slow, true or fast (by the drift the system declares). */
export function clockArbitrary(shape: ScheduleShape): fc.Arbitrary<Action> {
  return fc
    .record({ node: fc.nat({ max: shape.nodes - 1 }), rate: fc.integer({ min: -1, max: 1 }) })
    .map(({ node, rate }): Action => ({ kind: 'clock', node, rate }));
}
