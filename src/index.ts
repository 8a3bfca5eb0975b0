// leaderlog's public API: what the CLI does, as functions over plain data.
//
//   import { readHistoryFile, judgeHistory, explanationText } from 'leaderlog';
//   const history = readHistoryFile('history.edn');
//   const judgement = judgeHistory(history);          // verdict, model, named anomalies
//   console.log(judgement.verdict, explanationText(history, judgement.explanation));

// Histories: the shared vocabulary, readers and the JSON Lines writer.
export type { Event, EventType, Key, NodeRole, Process } from '../history/event.ts';
export type { Value } from '../history/value.ts';
export { describeValue, valueEqual } from '../history/value.ts';
export type { History, Operation, OpResult } from '../history/operation.ts';
export { buildHistory } from '../history/operation.ts';
export { InputError } from '../history/input-error.ts';
export type { HistoryFormat, ReadHistoryOptions } from '../history/read-history.ts';
export { detectFormat, readEvents, readHistory, readHistoryFile } from '../history/read-history.ts';
export type { JsonlWriter } from '../history/jsonl.ts';
export { createJsonlWriter, formatEventJson, writeJsonl } from '../history/jsonl.ts';

// Judging a history: linearizability, named anomalies, weaker consistency levels, the timeline page.
export type { CheckBudget, CheckOptions } from '../history/check.ts';
export { checkHistory } from '../history/check.ts';
export type { CheckResult, PartitionVerdict, Verdict } from '../history/verdict.ts';
export type { Judgement, JudgeOptions, Proof } from '../history/judge.ts';
export { isViolation, judgeHistory } from '../history/judge.ts';
export type { Spec } from '../history/spec.ts';
export { modelNames, WORKLOAD_MODELS } from '../history/model-choice.ts';
export type { Anomaly, AnomalyKind } from '../history/anomaly.ts';
export { detectAnomalies } from '../history/anomalies/detect-anomalies.ts';
export type { Explanation } from '../history/explain.ts';
export { explainHistory, explanationJson, explanationText } from '../history/explain.ts';
export type { ConsistencyLevel, LevelResult } from '../history/consistency/level.ts';
export { CONSISTENCY_LEVELS } from '../history/consistency/level.ts';
export type { ConsistencyOptions } from '../history/consistency/consistency-options.ts';
export type { WriteOrder } from '../history/consistency/write-order.ts';
export { WRITE_ORDERS } from '../history/consistency/write-order.ts';
export { checkConsistency } from '../history/consistency/check-consistency.ts';
export { consistencyTable } from '../history/consistency/consistency-table.ts';
export { consistencyTableText, levelResultText } from '../history/explain-consistency.ts';
export type { Workload } from '../history/workloads/workload.ts';
export { recogniseWorkload, unsupportedWorkload } from '../history/workloads/workload.ts';
export type { SetReads, SetResult } from '../history/workloads/set.ts';
export { checkSet, SET_READS } from '../history/workloads/set.ts';
export { looksKeyed, splitKeyedEvents } from '../history/keyed-events.ts';
export type { TimelineInput } from '../history/timeline/render-timeline.ts';
export { renderTimeline } from '../history/timeline/render-timeline.ts';

// The model of single-leader replication, and the property campaign over it.
export * as models from '../models/index.ts';
export * as properties from '../properties/index.ts';

// Recording a real cluster.
export type { RecordOptions, Recording } from './record/redis/recorder.ts';
export { recordRedis } from './record-redis.ts';
