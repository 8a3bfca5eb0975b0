import type { TraceStep } from '../../models/index.ts';
import type { Observation } from '../observation.ts';
import type { Property, PropertyVerdict, Unsettled } from '../property.ts';
import { HELD } from '../property.ts';

/** After the finale healed, restarted and settled the cluster, every follower follows the leader in its epoch and holds its log. */
export const converges: Property = {
  name: 'converges',
  claim: "after heal, restart and settle, one leader leads and every follower's log equals it",
  notApplicable: (subject) => (subject.preset || subject.system?.settled ? null : 'the system has no settled hook'),
  check(observation: Observation): PropertyVerdict {
    const { trace, settled: done } = observation.run;
    if (done === null) return { status: 'not-applicable', reason: 'the system has no settled hook' };
    if (done) return HELD;
    const { name, reason } = unsettled(trace);
    return { status: 'violated', names: [name], reasons: [reason], anomalies: [] };
  },
};

/** What keeps the cluster from having settled, as its nodes' claimed roles show it after the finale. */
function unsettled(trace: readonly TraceStep[]): { name: Unsettled; reason: string } {
  const nodes = trace[trace.length - 1]?.nodes ?? [];
  const leaders = nodes.filter((n) => n.role === 'leader');
  if (leaders.length === 0) return { name: 'no-leader', reason: 'after the finale no node leads' };
  if (leaders.length > 1) {
    return {
      name: 'several-leaders',
      reason: `after the finale ${leaders.map((n) => `${n.id} (epoch ${n.epoch})`).join(' and ')} all lead`,
    };
  }
  const leader = leaders[0]!;
  const astray = nodes.filter((n) => n !== leader && (n.epoch !== leader.epoch || n.role !== 'follower'));
  if (astray.length > 0) {
    const where = astray.map((n) => `${n.id} is ${n.role} at epoch ${n.epoch}`).join(', ');
    return { name: 'unsettled', reason: `after the finale ${leader.id} leads epoch ${leader.epoch} but ${where}` };
  }
  return {
    name: 'unsettled',
    reason: `after the finale ${leader.id} (epoch ${leader.epoch}) leads, but the system's settled hook says the cluster has not settled (logs not caught up, or messages still in flight)`,
  };
}
