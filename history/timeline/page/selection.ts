// The chosen finding and what the drawing needs to show it: its operations, events, lanes and
// longest-prefix ranks.
import type { Finding, TimelineModel } from './history-model.ts';
import type { Lanes } from './lanes.ts';

export interface Selection {
  /** -1: none chosen. */
  readonly index: number;
  readonly finding: Finding | null;
  /** null when none is chosen: then nothing is dimmed. */
  readonly ops: ReadonlySet<number> | null;
  readonly events: ReadonlySet<number>;
  readonly lanes: ReadonlySet<number>;
  /** Op id to its place in the longest linearizable prefix. */
  readonly prefixRank: ReadonlyMap<number, number>;
}

/** The finding at `index` (-1 or out of range: none). */
export function selectionOf(model: TimelineModel, lanes: Lanes, index: number): Selection {
  const finding = model.findings[index] ?? null;
  return {
    index: finding ? index : -1,
    finding,
    ops: finding ? new Set(finding.ops) : null,
    events: new Set(finding ? finding.events : []),
    lanes: new Set(finding ? finding.ops.map((id) => lanes.laneOf[id]) : []),
    prefixRank: new Map((finding ? finding.prefix : []).map((id, rank) => [id, rank])),
  };
}
