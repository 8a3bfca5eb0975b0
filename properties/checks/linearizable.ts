import type { Observation } from '../observation.ts';
import type { Property, PropertyVerdict } from '../property.ts';
import { HELD } from '../property.ts';

export const linearizable: Property = {
  name: 'linearizable',
  claim: 'the history is linearizable, or meets the weaker consistency the design promises',
  check(observation: Observation): PropertyVerdict {
    const judgement = observation.judgement();
    const { level, result } = judgement.consistency!;
    if (result.holds === true) return HELD;
    if (result.holds === 'unknown') return { status: 'unknown', reason: result.reason };
    // The level's evidence says that it fails; the anomalies named say what went wrong, in replication terms.
    const anomalies = judgement.explanation.findings.anomalies;
    return {
      status: 'violated',
      names: anomalies.length > 0 ? [...new Set(anomalies.map((a) => a.kind))] : [`not-${level}`],
      reasons: [result.evidence.reason, ...anomalies.map((a) => a.reason)],
      anomalies,
    };
  },
};
