import fc from 'fast-check';
import type { Action } from '../../models/index.ts';
import type { ScheduleUnit } from './schedule-unit.ts';
import type { ScheduleShape } from './shape.ts';

// Faults come as windows: the fault, and the action that ends it some units later (or the finale, when
// the span is null, which is where shrinking heads: the shortest schedule that keeps the fault).

/** The longest a window stays open, in units, before its explicit end. */
const MAX_SPAN = 24;

const span = fc.option(fc.nat({ max: MAX_SPAN }), { nil: null, freq: 4 });

/** A node crashes and, later, restarts. */
export function crashWindowArbitrary(shape: ScheduleShape): fc.Arbitrary<ScheduleUnit> {
  return fc.record({ node: fc.nat({ max: shape.nodes - 1 }), span }).map(({ node, span }) => ({
    open: { kind: 'crash', node },
    close: { kind: 'restart', node },
    span,
  }));
}

/**
 * A node pauses (a process is stopped) and, later, resumes with its state intact: a garbage-collection
 * pause or a stalled VM, long enough for the others to give up on it and elect someone else.
 */
export function pauseWindowArbitrary(shape: ScheduleShape): fc.Arbitrary<ScheduleUnit> {
  return fc.record({ node: fc.nat({ max: shape.nodes - 1 }), span }).map(({ node, span }) => ({
    open: { kind: 'pause', node },
    close: { kind: 'resume', node },
    span,
  }));
}

/**
 * The nodes split into two sides that cannot talk, then heal. The side drawn is a non-empty proper
 * subset of the nodes, as a bit mask; it shrinks towards 1: the first node (the first leader) alone.
 */
export function partitionWindowArbitrary(shape: ScheduleShape): fc.Arbitrary<ScheduleUnit> {
  const side = fc.integer({ min: 1, max: Math.max(1, 2 ** shape.nodes - 2) });
  return fc.record({ side, span }).map(({ side, span }) => ({
    open: { kind: 'partition', groups: Array.from({ length: shape.nodes }, (_, i) => (side >> i) & 1) } satisfies Action,
    close: { kind: 'heal' } satisfies Action,
    span,
  }));
}

/** Messages from one node to another are lost (one way only), then the network heals. */
export function cutWindowArbitrary(shape: ScheduleShape): fc.Arbitrary<ScheduleUnit> {
  // The receiver is drawn as an offset past the sender, so a cut never names one node twice.
  const offset = fc.nat({ max: Math.max(0, shape.nodes - 2) });
  return fc.record({ from: fc.nat({ max: shape.nodes - 1 }), offset, span }).map(({ from, offset, span }) => ({
    open: { kind: 'cut', from, to: (from + 1 + offset) % shape.nodes } satisfies Action,
    close: { kind: 'heal' } satisfies Action,
    span,
  }));
}
