import type { Key } from './event.ts';

// An anomaly is data: its kind, the operations that prove it, and a one-line reason. Text and pages are
// rendered from this, never the other way round.

export type AnomalyKind =
  /** An acknowledged write whose effect disappears for good. */
  | 'lost-write'
  /** A read returned a value already overwritten by a write that completed before the read began. */
  | 'stale-read'
  /** Two nodes acted as leader at once: both acknowledged writes under one epoch, or over overlapping time. */
  | 'dual-leader'
  /** A read returned something no write could have produced. */
  | 'phantom-read'
  /** A read returned a list or set holding an element twice. */
  | 'duplicate-element';

export interface Anomaly {
  readonly kind: AnomalyKind;
  readonly key?: Key;
  /** Operation ids (History.operations[id]) that prove it, in the order the explanation walks them. */
  readonly ops: readonly number[];
  /** One line, in replication terms. */
  readonly reason: string;
  /**
   * Positions in History.events of non-client events that are part of the proof: role annotations
   * (process "cluster", f "role") showing two nodes as leaders at once. Absent when ops alone prove it.
   */
  readonly events?: readonly number[];
  /**
   * Positions in History.events bounding the stretch that shows it, when that is narrower than its
   * events span (two leaders' overlap, not the whole of the first one's reign): pages zoom to it.
   */
  readonly window?: { readonly from: number; readonly to: number };
}
