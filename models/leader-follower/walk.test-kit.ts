import fc from 'fast-check';
import type { Action } from '../world/action.ts';

// Random walks for the model's own tests: any action with any numbers (out of range too, since every
// choice is taken modulo what exists), weighted towards a cluster that makes progress. properties/
// builds the real, tunable generators.

const small = fc.integer({ min: -2, max: 9 });

const actionArbitrary: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 20,
    arbitrary: fc.record({
      kind: fc.constant('invoke' as const),
      client: small,
      f: fc.constantFrom('read' as const, 'write' as const, 'cas' as const, 'append' as const),
      key: small,
      pick: small,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('invoke' as const),
      client: small,
      f: fc.constantFrom('read' as const, 'write' as const),
      key: small,
      node: small,
    }),
  },
  { weight: 35, arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick: small }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('drop' as const), pick: small }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), pick: small }) },
  { weight: 15, arbitrary: fc.record({ kind: fc.constant('tick' as const), node: small }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('timeout' as const), client: small }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('crash' as const), node: small }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('restart' as const), node: small }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('partition' as const), groups: fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 6 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), from: small, to: small }) },
  { weight: 3, arbitrary: fc.constant({ kind: 'heal' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('promote' as const), node: small }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('demote' as const), node: small }) },
);

/** Schedules of maxLength / 3 to maxLength actions (fast-check's default size would keep them tiny). */
export function scheduleArbitrary(maxLength: number): fc.Arbitrary<Action[]> {
  return fc.array(actionArbitrary, { minLength: Math.floor(maxLength / 3), maxLength, size: 'max' });
}
