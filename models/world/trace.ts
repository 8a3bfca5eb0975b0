import type { NodeRole } from '../../history/event.ts';
import type { Action } from './action.ts';

// A run's own account, step by step, for explanations (replay's timeline): what was done, where every
// node stood afterwards, and what went over the wire. Every runner gives one; what a system says
// nothing of (roles, logs) is left out.

export interface NodeSnapshot {
  readonly id: string;
  /** `up`: a system that says nothing of roles. */
  readonly role: NodeRole | 'up';
  /** Missing for a system that says nothing of roles. */
  readonly epoch?: number;
  /** Log length and commit point, when the system's role claim gives them (the built-in design's does). */
  readonly log?: number;
  readonly commit?: number;
}

export interface MessageNote {
  readonly id: number;
  /** The message body's type. */
  readonly kind: string;
  readonly from: string;
  readonly to: string;
  /** Shown when the body has them (the built-in design's do): its sender's epoch, */
  readonly epoch?: number;
  /** how many `entries` it carries and the index they come `after`, */
  readonly entries?: number;
  readonly after?: number;
  /** and whether a reply says yes (`ok`). */
  readonly ok?: boolean;
}

export interface TraceStep {
  readonly time: number;
  readonly action: Action;
  /** Why the action changed nothing, when it did not apply. */
  readonly noop?: string;
  readonly nodes: readonly NodeSnapshot[];
  readonly sent: readonly MessageNote[];
  readonly delivered: readonly MessageNote[];
  readonly dropped: readonly MessageNote[];
}
