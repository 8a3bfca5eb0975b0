import type { Anomaly } from '../../history/anomaly.ts';
import type { TraceStep } from '../../models/index.ts';
import type { Observation } from '../observation.ts';
import type { Property, PropertyVerdict } from '../property.ts';
import { HELD, violatedBy } from '../property.ts';

/**
 * At most one leader per epoch, and never two nodes acknowledging writes at once. Seen two ways: in the
 * history (writes acknowledged by two nodes under one epoch or while both were announced leaders:
 * the dual-leader detector), and in the model's trace (two nodes leading one epoch at the same step,
 * which no client may have noticed yet).
 */
export const singleLeader: Property = {
  name: 'single-leader',
  claim: 'at most one leader per epoch, and never two nodes acknowledging writes at once',
  check(observation: Observation): PropertyVerdict {
    const fromHistory = observation.findings().anomalies.filter((a) => a.kind === 'dual-leader');
    const fromTrace = sharedEpoch(observation.run.trace);
    const anomalies = fromTrace ? [...fromHistory, fromTrace] : fromHistory;
    return anomalies.length > 0 ? violatedBy(anomalies) : HELD;
  },
};

/** The first step at which two nodes lead the same epoch, as an anomaly no operation proves. */
function sharedEpoch(trace: readonly TraceStep[]): Anomaly | null {
  for (const step of trace) {
    const leaderOf = new Map<number, string>();
    for (const node of step.nodes) {
      if (node.role !== 'leader') continue;
      const other = leaderOf.get(node.epoch);
      if (other !== undefined) {
        return { kind: 'dual-leader', ops: [], reason: `after step ${step.time} (${step.action.kind}) the model has ${other} and ${node.id} both leading epoch ${node.epoch}` };
      }
      leaderOf.set(node.epoch, node.id);
    }
  }
  return null;
}
