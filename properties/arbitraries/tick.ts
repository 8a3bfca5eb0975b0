import fc from 'fast-check';
import type { Action } from '../../models/index.ts';
import type { ScheduleUnit } from './schedule-unit.ts';
import type { ScheduleShape } from './shape.ts';

/** One tick of a node's clock: heartbeats from a leader, an election timeout counting down elsewhere. */
export function tickArbitrary(shape: ScheduleShape): fc.Arbitrary<Action> {
  return fc.nat({ max: shape.nodes - 1 }).map((node): Action => ({ kind: 'tick', node }));
}

/**
 * Time passes at one node: up to enough ticks in a row for the slowest node to give up on its leader.
 * A burst is one unit, so an election timeout is a single choice to draw and to shrink (towards one tick).
 */
export function ticksArbitrary(shape: ScheduleShape): fc.Arbitrary<ScheduleUnit> {
  return fc
    .record({ node: fc.nat({ max: shape.nodes - 1 }), times: fc.integer({ min: 1, max: shape.patience }) })
    .map(({ node, times }) => ({ steps: Array.from({ length: times }, (): Action => ({ kind: 'tick', node })) }));
}
