// leaderlog's public API: what the CLI does, as functions over plain data.
//
//   import { readHistoryFile, judgeHistory, explanationText } from 'leaderlog';
//   const history = readHistoryFile('history.edn');
//   const judgement = judgeHistory(history);          // verdict, model, named anomalies
//   console.log(judgement.verdict, explanationText(history, judgement.explanation));

export { detectAnomalies } from '../history/anomalies/detect-anomalies.ts';
export type { Anomaly, AnomalyKind } from '../history/anomaly.ts';
export { checkConsistency } from '../history/consistency/check-consistency.ts';
export type { ConsistencyOptions } from '../history/consistency/consistency-options.ts';
export { consistencyTable } from '../history/consistency/consistency-table.ts';
export type { ConsistencyLevel, LevelResult } from '../history/consistency/level.ts';
export { CONSISTENCY_LEVELS } from '../history/consistency/level.ts';
export type { WriteOrder } from '../history/consistency/write-order.ts';
export { WRITE_ORDERS } from '../history/consistency/write-order.ts';
// Histories: the shared vocabulary, readers and the JSON Lines writer.
export type { Event, EventType, Key, NodeRole, Process } from '../history/event.ts';
export { consistencyTableText, levelResultText } from '../history/explain/consistency.ts';
export type { Explanation } from '../history/explain/explain.ts';
export { explainHistory, explanationJson, explanationText } from '../history/explain/explain.ts';
export type { JsonlWriter } from '../history/formats/jsonl.ts';
export { createJsonlWriter, formatEventJson, writeJsonl } from '../history/formats/jsonl.ts';
export { looksKeyed, splitKeyedEvents } from '../history/formats/keyed-events.ts';
export type { HistoryFormat, ReadHistoryOptions } from '../history/formats/read-history.ts';
export { detectFormat, readEvents, readHistory, readHistoryFile } from '../history/formats/read-history.ts';
export { InputError } from '../history/input-error.ts';
export type { Judgement, JudgeOptions, Proof } from '../history/judge.ts';
export { isViolation, judgeHistory } from '../history/judge.ts';
// Judging a history: linearizability, named anomalies, weaker consistency levels, the timeline page.
export type { CheckBudget, CheckOptions } from '../history/linearizability/check.ts';
export { checkHistory } from '../history/linearizability/check.ts';
export { modelNames, WORKLOAD_MODELS } from '../history/linearizability/model-choice.ts';
export type { Spec } from '../history/linearizability/spec.ts';
export type { History, Operation, OpResult } from '../history/operation.ts';
export { buildHistory } from '../history/operation.ts';
export type { TimelineInput } from '../history/timeline/render-timeline.ts';
export { renderTimeline } from '../history/timeline/render-timeline.ts';
export type { Value } from '../history/value.ts';
export { describeValue, valueEqual } from '../history/value.ts';
export type { CheckResult, PartitionVerdict, Verdict } from '../history/verdict.ts';
export type { SetReads, SetResult } from '../history/workloads/set/set.ts';
export { checkSet, SET_READS } from '../history/workloads/set/set.ts';
export type { Workload } from '../history/workloads/workload.ts';
export { recogniseWorkload, unsupportedWorkload } from '../history/workloads/workload.ts';
// Your own system under leaderlog: the System interface, the world it runs in, and the test helper.
export type {
  AnySystem,
  Body,
  ClientReply,
  ClientRequest,
  Finding,
  Monitor,
  MonitorStep,
  NodeContext,
  NodeView,
  RoleClaim,
  System,
  SystemMessage as Message,
  SystemRun,
  SystemRunOptions,
} from '../models/index.ts';
// The model of single-leader replication, and the property campaign over it.
export * as models from '../models/index.ts';
export { defineSystem, ERROR_CODES, isSystem, runSystem, SystemError } from '../models/index.ts';
export * as properties from '../properties/index.ts';
export type { AssertSystemOptions } from './assert-system-holds.ts';
export { assertSystemHolds } from './assert-system-holds.ts';
export type { NodeTestOptions } from './process/node-campaign.ts';
export { nodeSubject, testNode } from './process/node-campaign.ts';
export { replayNodeCounterexample } from './process/node-replay.ts';
// A Maelstrom-protocol node binary in any language, as a system.
export type { NodeClock, NodeCommandOptions, NodeHandle, ProcessSystem } from './process/process-system.ts';
export { processSystem } from './process/process-system.ts';
export { findPostgresTools } from './record/postgres/environment.ts';
export type { PostgresRecordOptions } from './record/postgres/record-postgres.ts';

// Recording a real cluster.
export type { Recording, RecordOptions } from './record/recorder.ts';
export type { RedisRecordOptions } from './record/redis/record-redis.ts';
export { recordPostgres, recordRedis } from './recorders.ts';
export type { LoadedSystems } from './system-module.ts';
export { loadSystems, sourceHash } from './system-module.ts';
