import type { Value } from './value.ts';

// The shared vocabulary of leaderlog: an event in the Jepsen sense. A history is a list of these in
// real-time order. models/ emits them, recorders emit them, readers produce them, the checker judges them.

export type EventType = 'invoke' | 'ok' | 'fail' | 'info';

/** Integer processes are clients; any other (e.g. "nemesis") marks faults and annotations, never checked. */
export type Process = number | string;

export type Key = string | number;

export interface Event {
  readonly type: EventType;
  readonly process: Process;
  readonly f: string;
  readonly value: Value;
  /** The key of a keyed (independent) workload. */
  readonly key?: Key;
  /** Nanoseconds on the recorder's clock (logical steps for the model). May be missing or out of order. */
  readonly time?: number;
  /** Position in the original history, when the source numbered its events. */
  readonly index?: number;
  /** The server that served the operation. */
  readonly node?: string;
  /** The leader epoch (term) under which the operation was acknowledged. */
  readonly epoch?: number;
  /** Why an operation failed or is indeterminate, as the client saw it. */
  readonly error?: Value;
}

export function isClientProcess(process: Process): process is number {
  return typeof process === 'number' && Number.isInteger(process);
}

/**
 * Annotation events (non-client process, `f: "role"`) record what is known of a node's role over time:
 * `{type: "info", process: "cluster", f: "role", node: "n1", value: "leader", epoch: 3}`. The model
 * emits them on every role change and recorders when they learn one; the timeline draws them.
 */
export const ROLE_ANNOTATION = 'role';

export type NodeRole = 'leader' | 'follower' | 'candidate' | 'down';
