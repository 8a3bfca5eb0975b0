import type { Anomaly } from '../anomaly.ts';
import type { LevelEvidence, LevelResult } from '../consistency/level.ts';
import type { Findings } from '../findings.ts';
import type { History } from '../operation.ts';
import type { Value } from '../value.ts';
import type { Verdict } from '../verdict.ts';
import type { InitialValueHint } from './register/initial-value-hint.ts';
import type { SetReads, SetResult } from './set/set.ts';

// What leaderlog knows about one workload, in one record: how its histories are recognised, how their
// verdict is proved when not by the linearizability search, what the detectors find in them and which
// consistency levels are checked on them. The registry (workload.ts) lists the records; everything that
// used to branch on the workload's name asks its record instead.

export interface WorkloadDefinition {
  readonly name: string;
  /**
   * Whether a history is this workload's, from the operation names it uses (and the history, where the
   * names do not decide). The registry asks in its order; the first to say yes names the workload.
   */
  readonly recognise: (fs: ReadonlySet<string>, history: History) => boolean;
  /**
   * The verdict by the workload's own criteria (list-append's append order, a set's set-full), used unless
   * the user names a linearizability model; absent: the linearizability search decides, with the model
   * inferred from the operations.
   */
  readonly prove?: (history: History, options: { readonly setReads?: SetReads }) => WorkloadProof;
  /** Decides linearizability or sequential consistency exactly, instead of the search. */
  readonly order?: (history: History, level: 'linearizable' | 'sequential') => LevelResult;
  /** Everything the detectors prove about such a history, in the order it is told (dual leaders come after). */
  readonly findings?: (history: History, options: FindingsOptions) => readonly Findings[];
  /** Which consistency levels are checked: all, linearizability alone, or none (and why not). */
  readonly levels: 'all' | 'linearizable' | { readonly none: string };
  /** What a history suggests about how it was checked (it looks like it starts from another value): never a verdict. */
  readonly hints?: (history: History, options: FindingsOptions) => readonly InitialValueHint[];
  /** Anomalies the workload's chosen semantics allow (a set's stale reads, read eventually): reported, never failing. */
  readonly allowed?: (history: History, options: FindingsOptions) => readonly Anomaly[];
}

export interface FindingsOptions {
  /** A register's value before any write; nil by default. */
  readonly initialValue?: Value;
  /** The set check, when the caller already ran it: not run again. */
  readonly set?: SetResult;
}

/** A verdict proved by a workload's own criteria. */
export interface WorkloadProof {
  /** What the verdict is about: the workload's name. */
  readonly model: string;
  readonly verdict: Verdict;
  /** list-append: what refutes linearizability, or why it is unknown. */
  readonly refutation?: LevelEvidence | { readonly reason: string };
  /** set: the set-full check the verdict came from (the explanation reuses it). */
  readonly set?: SetResult;
}
