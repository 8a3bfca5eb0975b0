// The public surface of properties/: schedule arbitraries to compose, the properties, the campaign
// that runs them, and counterexample files. src/ and users import from here.

export type { ClientOpOptions } from './arbitraries/client-op.ts';
export { clientOpArbitrary, timeoutArbitrary } from './arbitraries/client-op.ts';
export { demoteArbitrary, promoteArbitrary } from './arbitraries/failover.ts';
export { crashWindowArbitrary, cutWindowArbitrary, partitionWindowArbitrary, pauseWindowArbitrary } from './arbitraries/fault-window.ts';
export { deliverArbitrary, dropArbitrary, duplicateArbitrary } from './arbitraries/message-choice.ts';
export type { PresetScheduleOptions } from './arbitraries/preset-schedule.ts';
export { presetScheduleArbitrary, subjectScheduleArbitrary } from './arbitraries/preset-schedule.ts';
export type { ScheduleOptions } from './arbitraries/schedule.ts';
export { scheduleArbitrary, scheduleUnitsArbitrary, unitArbitrary } from './arbitraries/schedule.ts';
export type { ScheduleUnit } from './arbitraries/schedule-unit.ts';
export { flattenUnits } from './arbitraries/schedule-unit.ts';
export type { ScheduleShape } from './arbitraries/shape.ts';
export { shapeOf } from './arbitraries/shape.ts';
export { tickArbitrary, ticksArbitrary } from './arbitraries/tick.ts';
export { unitListArbitrary } from './arbitraries/unit-list.ts';
export type { ScheduleWeights } from './arbitraries/weights.ts';
export { DEFAULT_WEIGHTS } from './arbitraries/weights.ts';
export type { ScheduleWorkload } from './arbitraries/workload.ts';
export { SCHEDULE_WORKLOADS } from './arbitraries/workload.ts';
export type { CampaignOptions, CampaignOutcome, Counterexample, Failure, PropertyOutcome, Shard } from './campaign.ts';
export { runCampaign } from './campaign.ts';
export type { CounterexampleFile, ParsedCounterexample, SavedSystem, SavedVerdict } from './counterexample.ts';
export { counterexampleFile, formatCounterexampleFile, parseCounterexample, replayCommand } from './counterexample.ts';
export type { PresetJudgement, PresetVerdict } from './expectation.ts';
export { campaignStatus, judgePreset } from './expectation.ts';
export type { Observation } from './observation.ts';
export { observe } from './observation.ts';
export { promisedLevel } from './promises.ts';
export { PROPERTIES, PROPERTY_NAMES, propertyNamed } from './properties.ts';
export type { Property, PropertyName, PropertyVerdict } from './property.ts';
export { judge } from './property.ts';
export type { ReplayResult } from './replay.ts';
export { replayCounterexample } from './replay.ts';
export { validateSchedule } from './schedule-validation.ts';
export type { NodeCommandSource, Subject, SubjectRun, SystemSource, Target, Violation } from './subject.ts';
export { presetSubject, subjectOf, systemSubject } from './subject.ts';
