// The public surface of models/: a pure model of single-leader replication with each known failure as
// a switchable flaw. properties/ and src/ import from here only.

export type { Action, ActionKind, OpF, Schedule } from './world/action.ts';
export { choose, OP_FUNCTIONS } from './world/action.ts';
export type { Apply, FinaleOptions } from './leader-follower/finale.ts';
export { finale, settled } from './leader-follower/finale.ts';
export type { InvariantKind, InvariantViolation } from './leader-follower/invariants.ts';
export { checkInvariants } from './leader-follower/invariants.ts';
export type { Command, Entry, Log } from './leader-follower/log.ts';
export type { AppendReply, AppendRequest, Message, VoteReply, VoteRequest } from './leader-follower/message.ts';
export type { Failover, Policy, ReadPolicy, Replication, RestartPolicy, VotePolicy } from './leader-follower/policy.ts';
export { validatePolicy } from './leader-follower/policy.ts';
export type { Preset } from './leader-follower/presets.ts';
export { presetList, presets } from './leader-follower/presets.ts';
export type { RunOptions, RunResult, StepViolation } from './leader-follower/run.ts';
export { runFrom, runSchedule } from './leader-follower/run.ts';
export { Scenario } from './leader-follower/scenario.ts';
export type { Breach, Client, Ghost, Network, Node, PendingOp, Peer, Role, State } from './leader-follower/state.ts';
export { initialState, nodeName } from './leader-follower/state.ts';
export type { StepResult } from './leader-follower/step.ts';
export { step } from './leader-follower/step.ts';
export type { MessageNote, NodeSnapshot, TraceStep } from './world/trace.ts';

// The System interface and the world every system runs in.
export type { AnySystem, Body, ExpectedAnomaly, ClientReply, ClientRequest, Finding, Message as SystemMessage, Monitor, MonitorStep, NodeContext, NodeView, RoleClaim, System } from './world/system.ts';
export { clientId, defineSystem, ERROR_CODES, errorName, isDefiniteError, isSystem, nodeIds } from './world/system.ts';
export { SystemError } from './world/system-error.ts';
export type { SystemFinaleOptions, SystemRun, SystemRunOptions, SystemShape, SystemViolation } from './world/run-system.ts';
export { runSystem, systemShape } from './world/run-system.ts';
