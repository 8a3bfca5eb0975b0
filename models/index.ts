// The public surface of models/: a pure model of single-leader replication with each known failure as
// a switchable flaw. properties/ and src/ import from here only.

export type { Action, ActionKind, Schedule } from './action.ts';
export { choose } from './action.ts';
export type { OpF } from './client.ts';
export { OP_FUNCTIONS } from './client.ts';
export type { Apply, FinaleOptions } from './finale.ts';
export { finale, settled } from './finale.ts';
export type { InvariantKind, InvariantViolation } from './invariants.ts';
export { checkInvariants } from './invariants.ts';
export type { Command, Entry, Log } from './log.ts';
export type { AppendReply, AppendRequest, Message, VoteReply, VoteRequest } from './message.ts';
export type { Failover, Policy, ReadPolicy, Replication, RestartPolicy, VotePolicy } from './policy.ts';
export { validatePolicy } from './policy.ts';
export type { ExpectedAnomaly, Preset } from './presets.ts';
export { presetList, presets } from './presets.ts';
export type { RunOptions, RunResult, StepViolation } from './run.ts';
export { runFrom, runSchedule } from './run.ts';
export { Scenario } from './scenario.ts';
export type { Breach, Client, Ghost, Network, Node, PendingOp, Peer, Role, State } from './state.ts';
export { initialState, nodeName } from './state.ts';
export type { StepResult } from './step.ts';
export { step } from './step.ts';
export type { MessageNote, NodeSnapshot, TraceStep } from './trace.ts';

// The System interface and the world every system runs in.
export type { AnySystem, Body, ClientReply, ClientRequest, Message as SystemMessage, NodeContext, NodeView, RoleClaim, System } from './world/system.ts';
export { clientId, defineSystem, ERROR_CODES, errorName, isDefiniteError, isSystem, nodeIds } from './world/system.ts';
export { SystemError } from './world/system-error.ts';
export type { SystemFinaleOptions, SystemRun, SystemRunOptions, SystemShape, SystemViolation } from './world/run-system.ts';
export { runSystem, systemShape } from './world/run-system.ts';
