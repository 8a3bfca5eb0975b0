import type { AnomalyKind } from '../../history/anomaly.ts';
import type { Observation } from '../observation.ts';
import type { PropertyVerdict } from '../property.ts';
import { HELD, violatedBy } from '../property.ts';

/**
 * No anomaly of `kind` in the history. What the detectors looked at and could not decide is not a
 * pass: it is unknown.
 */
export function anomalyFree(observation: Observation, kind: AnomalyKind): PropertyVerdict {
  const findings = observation.findings();
  const proved = findings.anomalies.filter((a) => a.kind === kind);
  if (proved.length > 0) return violatedBy(proved);
  const undecided = findings.inconclusive.find((i) => i.kind === kind);
  return undecided ? { status: 'unknown', reason: undecided.reason } : HELD;
}
