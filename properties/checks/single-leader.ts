import type { Anomaly } from '../../history/anomaly.ts';
import type { Breach, TraceStep } from '../../models/index.ts';
import type { Observation } from '../observation.ts';
import type { Property, PropertyVerdict } from '../property.ts';
import { HELD, violatedBy } from '../property.ts';

/**
 * What single-leader replication forbids: two leaders of one epoch, or a deposed leader acknowledging a
 * write that the newest leader's log does not hold. A deposed leader that finishes a write its
 * successor already holds is Raft working as designed, not two leaders. Seen two ways: in the history
 * (the dual-leader detector: writes acknowledged by two nodes under one epoch, a deposed leader taking
 * new writes, forked lists), and in the model's ghost record, which sees every election and every
 * acknowledgement as it happens, before any client may have noticed. A user's system has no ghost: its
 * trace shows the roles its nodes claim, and two of them leading one epoch at one step is the breach;
 * its monitor, when it has one, may report `two-leaders` and `deposed-ack` findings, which count too.
 */
export const singleLeader: Property = {
  name: 'single-leader',
  claim: 'at most one leader per epoch, and no deposed leader acknowledges a write its successor lacks',
  notApplicable: (subject) => (subject.roles ? null : 'the system does not say which role its nodes believe they have (no role hook)'),
  check(observation: Observation): PropertyVerdict {
    const fromHistory = observation.findings().anomalies.filter((a) => a.kind === 'dual-leader');
    const state = observation.run.state;
    const fromRun = state
      ? state.ghost.breaches.flatMap((b) => (SINGLE_LEADER_BREACHES.has(b.kind) ? [asAnomaly(observation, b)] : []))
      : [...sharedEpoch(observation.run.trace), ...monitored(observation)];
    const anomalies = [...fromHistory, ...fromRun];
    return anomalies.length > 0 ? violatedBy(anomalies) : HELD;
  },
};

const SINGLE_LEADER_BREACHES: ReadonlySet<Breach['kind']> = new Set(['two-leaders', 'deposed-ack']);

/** A breach as an anomaly; a deposed acknowledgement is proved by the operation it completed. */
function asAnomaly(observation: Observation, breach: Breach): Anomaly {
  const reason = `after step ${breach.time}: ${breach.detail}`;
  if (breach.kind !== 'deposed-ack') return { kind: 'dual-leader', ops: [], reason };
  const acker = breach.nodes[0];
  const op = observation.history.operations.find((o) => o.result === 'ok' && o.completeTime === breach.time && o.node === acker && o.f !== 'read');
  return { kind: 'dual-leader', ops: op ? [op.id] : [], reason };
}

/** A system monitor's findings of two leaders or a deposed leader's acknowledgement. */
function monitored(observation: Observation): Anomaly[] {
  return (observation.run.violations ?? []).flatMap((v) =>
    SINGLE_LEADER_BREACHES.has(v.kind as Breach['kind']) ? [{ kind: 'dual-leader' as const, ops: [], reason: `after step ${v.time}: ${v.detail}` }] : [],
  );
}

/** A system's first step at which two nodes claim to lead the same epoch, as an anomaly no operation proves. */
function sharedEpoch(trace: readonly TraceStep[]): Anomaly[] {
  for (const step of trace) {
    const leaderOf = new Map<number, string>();
    for (const node of step.nodes) {
      if (node.role !== 'leader' || node.epoch === undefined) continue;
      const other = leaderOf.get(node.epoch);
      if (other !== undefined) {
        return [{ kind: 'dual-leader', ops: [], reason: `after step ${step.time} (${step.action.kind}) the system has ${other} and ${node.id} both leading epoch ${node.epoch}` }];
      }
      leaderOf.set(node.epoch, node.id);
    }
  }
  return [];
}
