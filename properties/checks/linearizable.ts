import { checkConsistency } from '../../history/consistency/check-consistency.ts';
import type { Observation } from '../observation.ts';
import type { Property, PropertyVerdict } from '../property.ts';
import { HELD } from '../property.ts';

/** Search steps per key for the linearizability search: generous for model histories of tens of operations. */
const SEARCH_STEPS = 200_000;

export const linearizable: Property = {
  name: 'linearizable',
  claim: 'the history is linearizable, or meets the weaker consistency the design promises',
  check(observation: Observation): PropertyVerdict {
    const level = observation.subject.promises;
    const result = checkConsistency(observation.history, level, { budget: { steps: SEARCH_STEPS } });
    if (result.holds === true) return HELD;
    if (result.holds === 'unknown') return { status: 'unknown', reason: result.reason };
    // The level's evidence says that it fails; the detectors say what went wrong, in replication terms.
    const anomalies = observation.findings().anomalies;
    return {
      status: 'violated',
      names: anomalies.length > 0 ? [...new Set(anomalies.map((a) => a.kind))] : [`not-${level}`],
      reasons: [result.evidence.reason, ...anomalies.map((a) => a.reason)],
      anomalies,
    };
  },
};
