import fc from 'fast-check';
import type { Action } from '../../models/index.ts';
import type { ScheduleShape } from './shape.ts';

// Operator failover: the only way a new leader comes to be under manual failover, and a forced
// election under fencing.

export function promoteArbitrary(shape: ScheduleShape): fc.Arbitrary<Action> {
  return fc.nat({ max: shape.nodes - 1 }).map((node): Action => ({ kind: 'promote', node }));
}

export function demoteArbitrary(shape: ScheduleShape): fc.Arbitrary<Action> {
  return fc.nat({ max: shape.nodes - 1 }).map((node): Action => ({ kind: 'demote', node }));
}
