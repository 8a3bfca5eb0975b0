import type { Anomaly } from '../../history/anomaly.ts';
import type { TraceStep } from '../../models/index.ts';
import type { Observation } from '../observation.ts';
import type { Property, PropertyVerdict } from '../property.ts';
import { HELD, violatedBy } from '../property.ts';

/**
 * What single-leader replication forbids: two leaders of one epoch, or a deposed leader acknowledging a
 * write that the newest leader's log does not hold. A deposed leader that finishes a write its
 * successor already holds is Raft working as designed, not two leaders. Seen two ways: in the history
 * (the dual-leader detector: writes acknowledged by two nodes under one epoch, a deposed leader taking
 * new writes, forked lists), and in the run: a system's monitor (the built-in design's ghost record)
 * sees every election and every acknowledgement as it happens, before any client may have noticed, and
 * reports `two-leaders` and `deposed-ack`; without such findings, the trace shows the roles the nodes
 * claim, and two of them leading one epoch at one step is the breach.
 */
export const singleLeader: Property = {
  name: 'single-leader',
  claim: 'at most one leader per epoch, and no deposed leader acknowledges a write its successor lacks',
  notApplicable: (subject) => (subject.roles ? null : 'the system does not say which role its nodes believe they have (no role hook)'),
  check(observation: Observation): PropertyVerdict {
    const fromHistory = observation.findings().anomalies.filter((a) => a.kind === 'dual-leader');
    const found = monitored(observation);
    const fromRun = found.length > 0 ? found : sharedEpoch(observation.run.trace);
    const anomalies = [...fromHistory, ...fromRun];
    return anomalies.length > 0 ? violatedBy(anomalies) : HELD;
  },
};

const SINGLE_LEADER_BREACHES: ReadonlySet<string> = new Set(['two-leaders', 'deposed-ack']);

/** A monitor's findings of two leaders or a deposed leader's acknowledgement, as anomalies; an acknowledgement is proved by the operation it completed. */
function monitored(observation: Observation): Anomaly[] {
  return (observation.run.violations ?? []).flatMap((v): Anomaly[] => {
    if (!SINGLE_LEADER_BREACHES.has(v.kind)) return [];
    const reason = `after step ${v.time}: ${v.detail}`;
    if (v.kind !== 'deposed-ack') return [{ kind: 'dual-leader', ops: [], reason }];
    const acker = v.nodes?.[0];
    const op = observation.history.operations.find(
      (o) => o.result === 'ok' && o.completeTime === v.time && o.node === acker && o.f !== 'read',
    );
    return [{ kind: 'dual-leader', ops: op ? [op.id] : [], reason }];
  });
}

/** A system's first step at which two nodes claim to lead the same epoch, as an anomaly no operation proves. */
function sharedEpoch(trace: readonly TraceStep[]): Anomaly[] {
  for (const step of trace) {
    const leaderOf = new Map<number, string>();
    for (const node of step.nodes) {
      if (node.role !== 'leader' || node.epoch === undefined) continue;
      const other = leaderOf.get(node.epoch);
      if (other !== undefined) {
        return [
          {
            kind: 'dual-leader',
            ops: [],
            reason: `after step ${step.time} (${step.action.kind}) the system has ${other} and ${node.id} both leading epoch ${node.epoch}`,
          },
        ];
      }
      leaderOf.set(node.epoch, node.id);
    }
  }
  return [];
}
