import fc from 'fast-check';
import type { Action } from '../../models/index.ts';

// The network's scheduling choices. A message is named by its position among those in flight when the
// step runs (taken modulo their count), so a choice stays meaningful whatever steps shrinking removes;
// it shrinks towards 0, the oldest message: delivery in order.

/** How far into the in-flight messages a choice reaches before wrapping around. */
const REACH = 8;

export function deliverArbitrary(): fc.Arbitrary<Action> {
  return fc.nat({ max: REACH - 1 }).map((pick): Action => ({ kind: 'deliver', pick }));
}

export function dropArbitrary(): fc.Arbitrary<Action> {
  return fc.nat({ max: REACH - 1 }).map((pick): Action => ({ kind: 'drop', pick }));
}

export function duplicateArbitrary(): fc.Arbitrary<Action> {
  return fc.nat({ max: REACH - 1 }).map((pick): Action => ({ kind: 'duplicate', pick }));
}
