import fc from 'fast-check';
import type { Action } from '../../models/index.ts';
import type { ScheduleUnit } from './schedule-unit.ts';
import type { ScheduleShape } from './shape.ts';
import type { ScheduleWorkload } from './workload.ts';
import { WORKLOAD_OPERATIONS } from './workload.ts';

// Units that reach deep states: the moves behind the classic replication bugs (a chosen node elected,
// a write held by the leader and one follower only, the leader dying right after an append, leaders
// changing again and again), which blind single actions almost never line up. Each expands into plain
// actions (models/action.ts), so it drives any system, built in or a user's, and knows nothing of its
// state: a move that does not apply is the no-op it always is. A unit shrinks as one: removed whole,
// then towards fewer ticks and deliveries and lower node numbers.

/** How many more rounds past its patience an election may need (a lease's promise holds the vote longer). */
const MAX_EXTRA_TICKS = 8;

const deliveries = (count: number): Action[] => Array.from({ length: count }, (): Action => ({ kind: 'deliver', pick: 0 }));
const ticks = (node: number, count: number): Action[] => Array.from({ length: count }, (): Action => ({ kind: 'tick', node }));

/** Enough oldest-first deliveries for a round of requests to every other node and their replies. */
const round = (shape: ScheduleShape) => 2 * shape.nodes;

/**
 * The steps that make `node` leader: its clock runs out, then rounds of its messages and their replies
 * arrive, a tick after each (one more election, should it still not stand or win; a heartbeat once it
 * leads).
 */
function electSteps(shape: ScheduleShape, node: number, extra: number): Action[] {
  const rounds = Array.from({ length: 1 + extra }, (): Action[] => [...deliveries(round(shape)), { kind: 'tick', node }]).flat();
  return [...ticks(node, shape.patience), ...rounds, ...deliveries(round(shape))];
}

/** A client writes, addressed to `node` (or the leader it believes in), and the messages flow until it is acknowledged. */
function writeSteps(shape: ScheduleShape, workload: ScheduleWorkload, client: number, key: number, node?: number): Action[] {
  const f = WORKLOAD_OPERATIONS[workload][0];
  return [{ kind: 'invoke', client, f, key, ...(node !== undefined && { node }) }, ...deliveries(round(shape) + 1)];
}

const node = (shape: ScheduleShape) => fc.nat({ max: shape.nodes - 1 });
const client = (shape: ScheduleShape) => fc.nat({ max: shape.clients - 1 });
const key = (shape: ScheduleShape) => fc.nat({ max: shape.keys - 1 });
const extra = fc.nat({ max: MAX_EXTRA_TICKS });

/** Node `node` times out, stands, wins and takes over: a leader change to a node of the schedule's choosing. */
export function electArbitrary(shape: ScheduleShape): fc.Arbitrary<ScheduleUnit> {
  return fc.record({ node: node(shape), extra }).map(({ node, extra }) => ({ steps: electSteps(shape, node, extra) }));
}

/** A write that is acknowledged: sent, and the cluster left to carry it through. */
export function ackedWriteArbitrary(shape: ScheduleShape, workload: ScheduleWorkload): fc.Arbitrary<ScheduleUnit> {
  return fc
    .record({ client: client(shape), key: key(shape) })
    .map(({ client, key }) => ({ steps: writeSteps(shape, workload, client, key) }));
}

/**
 * A write reaches the leader `leader` and exactly one follower: every other follower is cut off from it
 * (one way) while the write goes round, and the cut heals some units later.
 */
export function replicateToOneArbitrary(shape: ScheduleShape, workload: ScheduleWorkload): fc.Arbitrary<ScheduleUnit> {
  const offset = fc.nat({ max: Math.max(0, shape.nodes - 2) });
  const span = fc.option(fc.nat({ max: 24 }), { nil: null, freq: 4 });
  return fc
    .record({ leader: node(shape), offset, client: client(shape), key: key(shape), span })
    .map(({ leader, offset, client, key, span }) => {
      const follower = (leader + 1 + offset) % shape.nodes;
      const others = Array.from({ length: shape.nodes }, (_, i) => i).filter((i) => i !== leader && i !== follower);
      const cuts = others.map((to): Action => ({ kind: 'cut', from: leader, to }));
      const write = [
        ...writeSteps(shape, workload, client, key, leader),
        { kind: 'tick', node: leader } satisfies Action,
        ...deliveries(round(shape)),
      ];
      // With two nodes there is no one to cut off: the write simply goes to the one follower.
      if (cuts.length === 0) return { steps: write };
      return { open: cuts[0], after: [...cuts.slice(1), ...write], close: { kind: 'heal' }, span };
    });
}

/**
 * The leader appends a write and sends it on (some of its appends may arrive), then crashes before the
 * write can be acknowledged everywhere; it restarts some units later.
 */
export function crashAfterAppendArbitrary(shape: ScheduleShape, workload: ScheduleWorkload): fc.Arbitrary<ScheduleUnit> {
  const span = fc.option(fc.nat({ max: 24 }), { nil: null, freq: 4 });
  const arrive = fc.nat({ max: round(shape) });
  return fc
    .record({ leader: node(shape), client: client(shape), key: key(shape), arrive, span })
    .map(({ leader, client, key, arrive, span }) => ({
      before: [
        { kind: 'invoke', client, f: WORKLOAD_OPERATIONS[workload][0], key, node: leader } satisfies Action,
        { kind: 'deliver', pick: 0 } satisfies Action,
        { kind: 'tick', node: leader } satisfies Action,
        ...deliveries(arrive),
      ],
      open: { kind: 'crash', node: leader },
      close: { kind: 'restart', node: leader },
      span,
    }));
}

/**
 * Two to four leader changes in a row, a write acknowledged under each new leader. Each link elects
 * another node than the link before (drawn as an offset past it), so every link is a change.
 */
export function leaderChainArbitrary(shape: ScheduleShape, workload: ScheduleWorkload): fc.Arbitrary<ScheduleUnit> {
  const offset = fc.nat({ max: Math.max(0, shape.nodes - 2) });
  const link = fc.record({ offset, extra, client: client(shape), key: key(shape) });
  return fc.record({ first: node(shape), links: fc.array(link, { minLength: 2, maxLength: 4 }) }).map(({ first, links }) => {
    let at = first;
    const steps = links.flatMap((l, i) => {
      if (i > 0) at = (at + 1 + l.offset) % shape.nodes;
      return [...electSteps(shape, at, l.extra), ...writeSteps(shape, workload, l.client, l.key)];
    });
    return { steps };
  });
}
