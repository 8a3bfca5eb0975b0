import type { Log } from './log.ts';

// Messages between nodes. `from` and `to` are node indexes; `id` is unique in a run, for the trace.

export interface AppendRequest {
  readonly kind: 'append';
  readonly id: number;
  readonly from: number;
  readonly to: number;
  readonly epoch: number;
  readonly prevIndex: number;
  readonly prevEpoch: number;
  /** Shared with the leader's log, never copied entry by entry. Empty for a pure heartbeat. */
  readonly entries: Log;
  readonly commit: number;
  /** The leader's read round when it sent this: a reply confirms leadership for reads up to it. */
  readonly round: number;
  /** The logical time it was sent: a reply extends the leader's lease from here. */
  readonly sentAt: number;
}

export interface AppendReply {
  readonly kind: 'append-reply';
  readonly id: number;
  readonly from: number;
  readonly to: number;
  /** The follower's epoch after handling the request. */
  readonly epoch: number;
  readonly success: boolean;
  /** On success, the last index the follower now shares with the leader; else where to resume (0..). */
  readonly match: number;
  readonly round: number;
  readonly sentAt: number;
}

export interface VoteRequest {
  readonly kind: 'vote';
  readonly id: number;
  readonly from: number;
  readonly to: number;
  readonly epoch: number;
  readonly lastIndex: number;
  readonly lastEpoch: number;
}

export interface VoteReply {
  readonly kind: 'vote-reply';
  readonly id: number;
  readonly from: number;
  readonly to: number;
  readonly epoch: number;
  readonly granted: boolean;
}

export type Message = AppendRequest | AppendReply | VoteRequest | VoteReply;
