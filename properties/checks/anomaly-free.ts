import type { AnomalyKind } from '../../history/anomaly.ts';
import type { Observation } from '../observation.ts';
import type { PropertyVerdict } from '../property.ts';
import { HELD, violatedBy } from '../property.ts';

/**
 * No anomaly of `kind` in the history. What the detectors looked at and could not decide is not a
 * pass: it is unknown, unless the judgement's proof settles it (a linearizable history has no stale read
 * and no lost write), which only then is worth its search.
 */
export function anomalyFree(observation: Observation, kind: AnomalyKind): PropertyVerdict {
  const findings = observation.findings();
  const proved = findings.anomalies.filter((a) => a.kind === kind);
  if (proved.length > 0) return violatedBy(proved);
  const ofKind = (inconclusive: typeof findings.inconclusive) => inconclusive.find((i) => i.kind === kind);
  const undecided = ofKind(findings.inconclusive) && ofKind(observation.judgement().explanation.findings.inconclusive);
  return undecided ? { status: 'unknown', reason: undecided.reason } : HELD;
}
