// The public surface of models/: the world every system runs in (world/), and the built-in
// leader/follower design with each known failure as a switchable flaw (leader-follower/), a system
// like any user's. properties/ and src/ import from here only.

export type { Command, Entry, Log } from './leader-follower/log.ts';
export type { InvariantKind, Violation as InvariantViolation } from './leader-follower/monitor.ts';
export type {
  CommitRule,
  Failover,
  LeaseClock,
  LeaseStart,
  PendingPolicy,
  Policy,
  ReadPolicy,
  Replication,
  RestartPolicy,
  TruncatePolicy,
  VotePolicy,
} from './leader-follower/policy.ts';
export { validatePolicy } from './leader-follower/policy.ts';
export type { Preset } from './leader-follower/presets.ts';
export { presetList, presets } from './leader-follower/presets.ts';
export type { LeaderFollowerDisk, LeaderFollowerNode, Peer, Role } from './leader-follower/system.ts';
export { leaderFollower } from './leader-follower/system.ts';
export type { Action, ActionKind, OpF, Schedule } from './world/action.ts';
export { choose, OP_FUNCTIONS } from './world/action.ts';
export type { SystemFinaleOptions, SystemRun, SystemRunOptions, SystemShape, SystemViolation } from './world/run-system.ts';
export { runSystem, systemShape } from './world/run-system.ts';
// The System interface and the world every system runs in.
export type {
  AnySystem,
  Body,
  ClientReply,
  ClientRequest,
  ExpectedAnomaly,
  Finding,
  Message as SystemMessage,
  Monitor,
  MonitorStep,
  NodeContext,
  NodeView,
  RoleClaim,
  System,
} from './world/system.ts';
export { clientId, defineSystem, ERROR_CODES, errorName, isDefiniteError, isSystem, nodeIds } from './world/system.ts';
export { SystemError } from './world/system-error.ts';
export type { MessageNote, NodeSnapshot, TraceStep } from './world/trace.ts';
