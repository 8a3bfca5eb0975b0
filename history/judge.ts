import { checkConsistency } from './consistency/check-consistency.ts';
import type { ConsistencyOptions } from './consistency/consistency-options.ts';
import type { ConsistencyLevel, LevelResult } from './consistency/level.ts';
import type { WriteOrder } from './consistency/write-order.ts';
import type { Explanation } from './explain/explain.ts';
import { explainHistory } from './explain/explain.ts';
import type { Findings } from './findings.ts';
import { InputError } from './input-error.ts';
import type { CheckBudget, CheckProgress, FailedCas, KeyChecker } from './linearizability/check.ts';
import { checkHistory } from './linearizability/check.ts';
import { isWorkloadModel } from './linearizability/model-choice.ts';
import type { History } from './operation.ts';
import type { Value } from './value.ts';
import type { CheckResult, Verdict } from './verdict.ts';
import type { SetReads } from './workloads/set/set.ts';
import type { Workload } from './workloads/workload.ts';
import { recogniseWorkload, unsupportedWorkload, workloadDefinition } from './workloads/workload.ts';
import type { WorkloadProof } from './workloads/workload-definition.ts';

// Everything leaderlog concludes about one history, whoever recorded it: the workload, a proved verdict
// (linearizability, or the workload's own criteria: see workloads/workload.ts), the consistency level
// asked for (a design's promise, `check --consistency`), and the named anomalies that explain a
// violation in replication terms. The one judging pipeline: `leaderlog check` and `record` judge
// through here, and so do the properties of the campaign (and so `replay`), which read the verdict of
// the level a design promises and the anomalies named.

/** The verdict alone, with what proves it. */
export interface Proof extends WorkloadProof {
  readonly workload: Workload;
  /** What the verdict is about: a linearizability model ("keyed cas-register"), or a workload ("list-append", "set"). */
  readonly model: string;
  /** valid only when proved; unknown only when a budget ran out (or the data cannot decide). */
  readonly verdict: Verdict;
  /** The linearizability checker's result, when the history went through it (not a workload with criteria of its own). */
  readonly check?: CheckResult;
}

export interface Judgement extends Proof {
  readonly explanation: Explanation;
  /** The level asked for (JudgeOptions.consistency), judged with the linearizability proof reused. */
  readonly consistency?: LevelJudgement;
}

export interface LevelJudgement {
  readonly level: ConsistencyLevel;
  readonly result: LevelResult;
}

export interface JudgeOptions {
  /**
   * A linearizability model; when given, the checker runs with it whatever the workload. Or a workload
   * (list-append, set), checked by its own criteria as if recognised.
   */
  readonly model?: string;
  readonly budget?: CheckBudget;
  readonly onProgress?: (progress: CheckProgress) => void;
  /** Stop at the first key proved not linearizable (see CheckOptions.firstFailure). */
  readonly firstFailure?: boolean;
  /** What a failed cas says (see CheckOptions.failedCas); ignored by default. */
  readonly failedCas?: FailedCas;
  /** Checks many keys at once (see CheckOptions.checkKeys). */
  readonly checkKeys?: KeyChecker;
  /** A register's value before any write (every register's, for multi-register); nil by default. */
  readonly initialValue?: Value;
  /** How a set's reads are judged; eventual by default, as Jepsen's set-full. */
  readonly setReads?: SetReads;
  /** A consistency level to judge too (a design's promise; check --consistency). */
  readonly consistency?: ConsistencyLevel;
  /** How the session guarantees order writes (see ConsistencyOptions.writeOrder); real time by default. */
  readonly writeOrder?: WriteOrder;
  /**
   * Whether an invalid verdict that no anomaly explains gets its unlinearizable cores (a search of its
   * own, for a reader); default true. A verdict-only caller (the campaign) leaves them out.
   */
  readonly cores?: boolean;
  /** The detectors' findings on this history, when the caller already has them: not worked out again. */
  readonly findings?: Findings;
}

/** Throws InputError / MalformedHistoryError for operations the chosen model or workload cannot take. */
export function judgeHistory(history: History, options: JudgeOptions = {}): Judgement {
  const proof = proveVerdict(history, options);
  const level = options.consistency && judgeLevel(history, proof, options.consistency, options);
  const judgement = explainProof(history, proof, options);
  return level ? { ...judgement, consistency: level } : judgement;
}

/** Whether the history meets `level`, reusing the linearizability verdict `proof` holds rather than searching again. */
export function judgeLevel(history: History, proof: Proof, level: ConsistencyLevel, options: JudgeOptions = {}): LevelJudgement {
  return { level, result: checkConsistency(history, level, levelOptions(proof, options)) };
}

/** What the consistency checks of this history take: its workload, model and budget, and the proof to reuse. */
export function levelOptions(proof: Proof, options: JudgeOptions = {}): ConsistencyOptions {
  const model = options.model !== undefined && isWorkloadModel(options.model) ? undefined : options.model;
  return {
    workload: proof.workload,
    ...(model !== undefined && { model }),
    ...(options.budget && { budget: options.budget }),
    ...(proof.check && { linearizability: proof.check }),
    ...(options.initialValue !== undefined && { initialValue: options.initialValue }),
    ...(options.writeOrder && { writeOrder: options.writeOrder }),
  };
}

/**
 * The verdict: linearizability (the set-full criteria for sets), proved or refuted within the budget. A
 * history that looks like a workload leaderlog does not check is refused (InputError) unless the user
 * named the model: a guessed verdict would be no verdict.
 */
export function proveVerdict(history: History, options: JudgeOptions = {}): Proof {
  const named = options.model !== undefined && isWorkloadModel(options.model) ? options.model : undefined;
  const model = named ? undefined : options.model;
  if (model === undefined && named === undefined) {
    const unsupported = unsupportedWorkload(history);
    if (unsupported) throw new InputError(`not supported: ${unsupported}`);
  }
  const workload = named ?? recogniseWorkload(history);
  return { workload, ...linearizability(history, workload, { ...options, model }) };
}

/**
 * Adds the named anomalies (and, for an unexplained violation, the unlinearizable cores). What the
 * detectors could not decide is dropped once linearizability is proved: a linearizable history has no
 * stale read and no lost write, so those doubts are settled. `initialValue` must be the one the proof
 * started from.
 */
export function explainProof(
  history: History,
  proof: Proof,
  options: Pick<JudgeOptions, 'initialValue' | 'cores' | 'findings'> = {},
): Judgement {
  const explanation = explainHistory(history, {
    workload: proof.workload,
    ...(proof.check && options.cores !== false && { check: proof.check }),
    ...(proof.set && { set: proof.set }),
    ...(options.initialValue !== undefined && { initialValue: options.initialValue }),
    ...(options.findings && { findings: options.findings }),
  });
  if (proof.verdict !== 'valid' || explanation.findings.inconclusive.length === 0) return { ...proof, explanation };
  return { ...proof, explanation: { ...explanation, findings: { ...explanation.findings, inconclusive: [] } } };
}

/**
 * A violation is a history proved not linearizable, or one in which any anomaly is named. Without an
 * explanation (only the verdict was asked for) the verdict alone decides.
 */
export function isViolation(judgement: Pick<Judgement, 'verdict'> & Partial<Pick<Judgement, 'explanation'>>): boolean {
  return judgement.verdict === 'invalid' || (judgement.explanation?.findings.anomalies.length ?? 0) > 0;
}

function linearizability(history: History, workload: Workload, options: JudgeOptions): Omit<Proof, 'workload'> {
  const ownCriteria = options.model === undefined ? workloadDefinition(workload)?.prove : undefined;
  if (ownCriteria) {
    if (options.initialValue !== undefined) {
      throw new InputError(
        `an initial value applies to register, cas-register and multi-register histories; this is a ${workload} history`,
      );
    }
    return ownCriteria(history, { setReads: options.setReads });
  }
  const check = checkHistory(history, {
    ...(options.model !== undefined && { model: options.model }),
    ...(options.initialValue !== undefined && { initialValue: options.initialValue }),
    ...(options.budget && { budget: options.budget }),
    ...(options.onProgress && { onProgress: options.onProgress }),
    ...(options.firstFailure && { firstFailure: true }),
    ...(options.failedCas && { failedCas: options.failedCas }),
    ...(options.checkKeys && { checkKeys: options.checkKeys }),
  });
  return { model: check.model, verdict: check.verdict, check };
}
