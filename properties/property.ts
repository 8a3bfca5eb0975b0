import type { Anomaly, AnomalyKind } from '../history/anomaly.ts';
import type { ConsistencyLevel } from '../history/consistency/level.ts';
import type { InvariantKind } from '../models/index.ts';
import type { Observation } from './observation.ts';

// A property is a named check of one observation (a schedule run through a preset or a system). Its
// verdict is data: held, violated (with what the counterexample is named as, and why), unknown when a
// checker ran out of budget, or not applicable when the subject lacks what the check needs (a system
// without invariants has none to hold): never a pass.

import type { Subject } from './subject.ts';

export type PropertyName = 'linearizable' | 'no-lost-write' | 'no-stale-read' | 'single-leader' | 'invariants' | 'converges';

/** Why the cluster had not settled after the finale (the converges property). */
export type Unsettled = 'unsettled' | 'no-leader' | 'several-leaders' | 'diverged';

/**
 * What a violation is named as: the kinds of the anomalies that prove it; for the model's own checks, the
 * invariant that broke (a system's are all "invariant") or why the cluster did not settle; and, when the
 * history fails its level but no anomaly is named, `not-<level>`.
 */
export type FindingName =
  | AnomalyKind
  | InvariantKind
  | NonNullable<Observation['run']['violations']>[number]['kind']
  | Unsettled
  | `not-${ConsistencyLevel}`;

export type PropertyVerdict =
  | { readonly status: 'held' }
  | {
      readonly status: 'violated';
      /** What the counterexample is named as: anomaly kinds (`lost-write`, ...) or, for the model's own checks, what broke. */
      readonly names: readonly FindingName[];
      /** One line per finding. */
      readonly reasons: readonly string[];
      /** The anomalies that prove it, when the history shows it. */
      readonly anomalies: readonly Anomaly[];
    }
  | { readonly status: 'unknown'; readonly reason: string }
  | { readonly status: 'not-applicable'; readonly reason: string };

export interface Property {
  readonly name: PropertyName;
  /** One line: what holds when it holds. */
  readonly claim: string;
  readonly check: (observation: Observation) => PropertyVerdict;
  /** Why the property cannot judge this subject at all; null (or missing) when it can. */
  readonly notApplicable?: (subject: Subject) => string | null;
}

/** The property's verdict, or not applicable when the subject lacks what it needs. */
export function judge(property: Property, observation: Observation): PropertyVerdict {
  const reason = property.notApplicable?.(observation.subject) ?? null;
  return reason === null ? property.check(observation) : { status: 'not-applicable', reason };
}

export const HELD: PropertyVerdict = { status: 'held' };

/** A violation named after the kinds of the anomalies that prove it. */
export function violatedBy(anomalies: readonly Anomaly[]): PropertyVerdict {
  return { status: 'violated', names: [...new Set(anomalies.map((a) => a.kind))], reasons: anomalies.map((a) => a.reason), anomalies };
}
