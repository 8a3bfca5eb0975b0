import fc from 'fast-check';
import type { ClientWorkload } from '../../history/workloads/workload.ts';
import type { Action } from '../../models/index.ts';
import type { ScheduleUnit } from './schedule-unit.ts';
import type { ScheduleShape } from './shape.ts';
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
function writeSteps(shape: ScheduleShape, workload: ClientWorkload, client: number, key: number, node?: number): Action[] {
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
export function ackedWriteArbitrary(shape: ScheduleShape, workload: ClientWorkload): fc.Arbitrary<ScheduleUnit> {
  return fc
    .record({ client: client(shape), key: key(shape) })
    .map(({ client, key }) => ({ steps: writeSteps(shape, workload, client, key) }));
}

/**
 * A write reaches the leader `leader` and exactly one follower: every other follower is cut off from it
 * (one way) while the write goes round, and the cut heals some units later.
 */
export function replicateToOneArbitrary(shape: ScheduleShape, workload: ClientWorkload): fc.Arbitrary<ScheduleUnit> {
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
export function crashAfterAppendArbitrary(shape: ScheduleShape, workload: ClientWorkload): fc.Arbitrary<ScheduleUnit> {
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
export function leaderChainArbitrary(shape: ScheduleShape, workload: ClientWorkload): fc.Arbitrary<ScheduleUnit> {
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

/** The most ticks a depose unit lets pass between a heartbeat's arrival and its replies'. */
const MAX_LAG = 48;

/**
 * A leader deposed without knowing it: node `old` is cut off from the others, one of them is elected,
 * a write goes through it, and a client then reads at `old`, which may still believe it leads (a read
 * it answers from its own state is stale). Before the cut, `old` may send a heartbeat round whose
 * replies reach it only `lag` ticks after the heartbeats arrived (slow replies: what stretches a lease
 * timed from the reply); and when the system's clocks drift, `old`'s clock is made to run slow and the
 * others' fast (a lease's worst case). The partition heals some units later.
 */
export function deposeArbitrary(shape: ScheduleShape, workload: ClientWorkload): fc.Arbitrary<ScheduleUnit> {
  const offset = fc.nat({ max: Math.max(0, shape.nodes - 2) });
  const span = fc.option(fc.nat({ max: 24 }), { nil: null, freq: 4 });
  const lag = fc.nat({ max: MAX_LAG });
  return fc
    .record({ old: node(shape), offset, extra, lag, writer: client(shape), reader: client(shape), key: key(shape), span })
    .map(({ old, offset, extra, lag, writer, reader, key, span }) => {
      const next = (old + 1 + offset) % shape.nodes;
      const skew: Action[] =
        (shape.drift ?? 0) > 0 ? Array.from({ length: shape.nodes }, (_, i) => ({ kind: 'clock', node: i, rate: i === old ? -1 : 1 })) : [];
      const followers = shape.nodes - 1;
      const slowReplies: Action[] =
        lag === 0 ? [] : [{ kind: 'tick', node: old }, ...deliveries(followers), ...ticks(next, lag), ...deliveries(followers)];
      const read: Action = { kind: 'invoke', client: reader, f: 'read', key, node: old };
      return {
        before: [...skew, ...slowReplies],
        open: { kind: 'partition', groups: Array.from({ length: shape.nodes }, (_, i) => (i === old ? 1 : 0)) },
        after: [...electSteps(shape, next, extra), ...writeSteps(shape, workload, writer, key, next), read],
        close: { kind: 'heal' },
        span,
      };
    });
}

const drops = (count: number): Action[] => Array.from({ length: count }, (): Action => ({ kind: 'drop', pick: 0 }));
const alone = (shape: ScheduleShape, node: number): Action => ({
  kind: 'partition',
  groups: Array.from({ length: shape.nodes }, (_, i) => (i === node ? 1 : 0)),
});

/**
 * Two nodes stand for election at once, and a voter restarts between their requests: a voter that
 * keeps its vote on disk refuses the second candidate, one that forgets it elects two leaders in one
 * epoch. A write is then sent to each candidate.
 */
export function splitVoteArbitrary(shape: ScheduleShape, workload: ClientWorkload): fc.Arbitrary<ScheduleUnit> {
  const offset = fc.nat({ max: Math.max(0, shape.nodes - 2) });
  return fc
    .record({ first: node(shape), offset, voterOffset: offset, clients: fc.tuple(client(shape), client(shape)), key: key(shape) })
    .map(({ first, offset, voterOffset, clients, key }) => {
      const second = (first + 1 + offset) % shape.nodes;
      const voter = (second + 1 + voterOffset) % shape.nodes;
      const followers = shape.nodes - 1;
      return {
        steps: [
          ...ticks(first, shape.patience),
          ...ticks(second, shape.patience),
          ...deliveries(followers),
          { kind: 'crash', node: voter },
          { kind: 'restart', node: voter },
          ...deliveries(round(shape)),
          ...writeSteps(shape, workload, clients[0], key, first),
          ...writeSteps(shape, workload, clients[1], key, second),
        ],
      };
    });
}

/**
 * A leader re-elected after a rival's short reign, as in Raft's Figure 8: a write reaches only the
 * leader (its appends are lost) before it is cut off; a rival is elected on the other side, and its own
 * first entry reaches no one before it is cut off in turn; the old leader is elected again, sends
 * `rounds` deliveries' worth of appends and crashes (what it sent is lost); the rival comes back and
 * is elected again.
 */
export function reelectArbitrary(shape: ScheduleShape, workload: ClientWorkload): fc.Arbitrary<ScheduleUnit> {
  const offset = fc.nat({ max: Math.max(0, shape.nodes - 2) });
  return fc
    .record({ old: node(shape), offset, extra, rounds: fc.nat({ max: round(shape) }), client: client(shape), key: key(shape) })
    .map(({ old, offset, extra, rounds, client, key }) => {
      const rival = (old + 1 + offset) % shape.nodes;
      const followers = shape.nodes - 1;
      return {
        steps: [
          { kind: 'invoke', client, f: WORKLOAD_OPERATIONS[workload][0], key, node: old },
          ...drops(followers),
          alone(shape, old),
          ...ticks(rival, shape.patience),
          // Its vote requests to the others but the old leader, and their replies up to a majority.
          ...deliveries(2 * (followers - 1)),
          ...drops(followers),
          alone(shape, rival),
          { kind: 'tick', node: old },
          ...deliveries(2 * followers),
          ...ticks(old, shape.patience),
          ...deliveries(rounds),
          { kind: 'crash', node: old },
          ...drops(followers),
          { kind: 'heal' },
          // The rival, still leading its old epoch, hears of the newer one and steps down; then stands again.
          { kind: 'tick', node: rival },
          ...deliveries(2 * followers),
          ...electSteps(shape, rival, extra),
          { kind: 'restart', node: old },
        ],
      };
    });
}

/**
 * Messages that overtake one another: the leader sends a heartbeat round and then a write, and they
 * arrive newest first (a network that reorders); the replies come back, and the leader crashes before
 * anything more, restarting some units later.
 */
export function overtakeArbitrary(shape: ScheduleShape, workload: ClientWorkload): fc.Arbitrary<ScheduleUnit> {
  const span = fc.option(fc.nat({ max: 24 }), { nil: null, freq: 4 });
  return fc.record({ leader: node(shape), client: client(shape), key: key(shape), span }).map(({ leader, client, key, span }) => {
    const followers = shape.nodes - 1;
    const newestFirst = Array.from({ length: 2 * followers }, (): Action => ({ kind: 'deliver', pick: -1 }));
    return {
      before: [
        { kind: 'tick', node: leader } satisfies Action,
        { kind: 'invoke', client, f: WORKLOAD_OPERATIONS[workload][0], key, node: leader } satisfies Action,
        ...newestFirst,
        ...deliveries(2 * followers),
      ],
      open: { kind: 'crash', node: leader },
      close: { kind: 'restart', node: leader },
      span,
    };
  });
}
