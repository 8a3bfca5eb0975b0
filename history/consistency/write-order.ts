import type { ConstraintGraph } from './constraint-graph.ts';

// How the session guarantees order a key's writes. Free: any order the data allows (a free arbitration
// order, as Terry et al. and Viotti and Vukolić define the guarantees). Real-time: as single-leader
// replication orders them: every write goes through one leader's log, so a write acknowledged before
// another was invoked comes first, and a write acknowledged under an earlier leader epoch comes before one
// acknowledged under a later epoch. Reads stay free to be stale (a follower serves an older prefix of the
// log); only the writes are ordered.

export type WriteOrder = 'real-time' | 'free';

export const WRITE_ORDERS: readonly WriteOrder[] = ['real-time', 'free'];

/** The rules the real-time write order adds to a version order's constraints. */
export type WriteOrderRule = 'real-time' | 'epoch';

export const WRITE_ORDER_RULES: ReadonlySet<string> = new Set<WriteOrderRule>(['real-time', 'epoch']);

export interface OrderedWrite {
  /** The write's node in the graph. */
  readonly node: number;
  readonly op: number;
  /** Acknowledged: it completed at `complete` (under `epoch`, when the history says). */
  readonly ok: boolean;
  readonly invoke: number;
  readonly complete: number;
  readonly epoch?: number;
}

/**
 * Adds "a before b" for every pair of writes that real time or epochs order, in linear size: auxiliary
 * nodes stand for "every write acknowledged by the k-th completion" (and "every write of epochs up to
 * e"), chained in order, so a write needs one edge in and one out. Call it after every write node exists:
 * the auxiliary nodes must come after them.
 */
export function addWriteOrderEdges<Rule extends string>(
  graph: ConstraintGraph<Rule | WriteOrderRule>,
  writes: readonly OrderedWrite[],
): void {
  const acknowledged = writes.filter((write) => write.ok).sort((a, b) => a.complete - b.complete);
  let previous: number | undefined;
  const upTo = acknowledged.map((write) => {
    const joined = graph.addNode();
    if (previous !== undefined) graph.add(previous, joined, 'real-time');
    graph.add(write.node, joined, 'real-time', [write.op]);
    previous = joined;
    return joined;
  });
  const completions = acknowledged.map((write) => write.complete);
  for (const write of writes) {
    const before = lastBelow(completions, write.invoke);
    if (before >= 0) graph.add(upTo[before], write.node, 'real-time', [write.op], true);
  }
  const epochs = [...new Set(acknowledged.flatMap((write) => (write.epoch === undefined ? [] : [write.epoch])))].sort((a, b) => a - b);
  if (epochs.length < 2) return;
  const epochNode = new Map<number, number>();
  previous = undefined;
  for (const epoch of epochs) {
    const joined = graph.addNode();
    if (previous !== undefined) graph.add(previous, joined, 'epoch');
    epochNode.set(epoch, joined);
    previous = joined;
  }
  for (const write of acknowledged) {
    if (write.epoch === undefined) continue;
    graph.add(write.node, epochNode.get(write.epoch)!, 'epoch', [write.op]);
    const earlier = epochs.indexOf(write.epoch) - 1;
    if (earlier >= 0) graph.add(epochNode.get(epochs[earlier])!, write.node, 'epoch', [write.op], true);
  }
}

/** The index of the last value below `limit` in ascending `sorted`, or -1. */
function lastBelow(sorted: readonly number[], limit: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
