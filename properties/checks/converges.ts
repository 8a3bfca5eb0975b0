import type { Log, State } from '../../models/index.ts';
import type { Observation } from '../observation.ts';
import type { Property, PropertyVerdict, Unsettled } from '../property.ts';
import { HELD } from '../property.ts';

/** After the finale healed, restarted and settled the cluster, every follower follows the leader in its epoch and holds its log. */
export const converges: Property = {
  name: 'converges',
  claim: "after heal, restart and settle, one leader leads and every follower's log equals it",
  notApplicable: (subject) => (subject.preset || subject.system?.settled ? null : 'the system has no settled hook'),
  check(observation: Observation): PropertyVerdict {
    const { state, settled: done } = observation.run;
    if (done === null) return { status: 'not-applicable', reason: 'the system has no settled hook' };
    if (done) return HELD;
    if (state === undefined) {
      return { status: 'violated', names: ['unsettled'], reasons: ["after the finale (heal, restart, settle) the system's settled hook still says it has not settled"], anomalies: [] };
    }
    const { name, reason } = unsettled(state);
    return { status: 'violated', names: [name], reasons: [reason], anomalies: [] };
  },
};

/** What keeps the cluster from having settled: no leader, several, logs that differ, or work left. */
function unsettled(state: State): { name: Unsettled; reason: string } {
  const leaders = state.nodes.filter((n) => n.up && n.role === 'leader');
  if (leaders.length === 0) return { name: 'no-leader', reason: 'after the finale no node leads' };
  if (leaders.length > 1) {
    return { name: 'several-leaders', reason: `after the finale ${leaders.map((n) => `${n.id} (epoch ${n.epoch})`).join(' and ')} all lead` };
  }
  const leader = leaders[0];
  const behind = state.nodes.filter((n) => n !== leader && !sameLog(n.log, leader.log));
  if (behind.length > 0) {
    const logs = behind.map((n) => `${n.id} holds ${n.log.length}`).join(', ');
    return { name: 'diverged', reason: `after the finale ${leader.id} (epoch ${leader.epoch}) holds ${leader.log.length} entries but ${logs}, not the same ones` };
  }
  const astray = state.nodes.filter((n) => n !== leader && (n.epoch !== leader.epoch || n.role !== 'follower'));
  if (astray.length > 0) {
    const where = astray.map((n) => `${n.id} is ${n.up ? n.role : 'down'} at epoch ${n.epoch}`).join(', ');
    return { name: 'unsettled', reason: `after the finale ${leader.id} leads epoch ${leader.epoch} but ${where}` };
  }
  return { name: 'unsettled', reason: `after the finale ${leader.id} (epoch ${leader.epoch}) has not committed its whole log in its epoch, or messages are still in flight` };
}

function sameLog(a: Log, b: Log): boolean {
  return a.length === b.length && a.every((entry, i) => entry.id === b[i].id);
}
