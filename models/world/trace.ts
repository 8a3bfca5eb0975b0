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
  /** Log length (the built-in model's nodes). */
  readonly log?: number;
  readonly commit?: number;
}

export interface MessageNote {
  readonly id: number;
  /** The built-in model's message kind, or a system message's body type. */
  readonly kind: string;
  readonly from: string;
  readonly to: string;
  /** The built-in model's messages carry their sender's epoch. */
  readonly epoch?: number;
  /** append: how many entries, after which index. */
  readonly entries?: number;
  readonly after?: number;
  /** Replies: accepted / granted. */
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
