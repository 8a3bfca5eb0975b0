import type { WorkloadDefinition } from '../workload-definition.ts';
import { checkSet, SET_ADDS } from './set.ts';

// A set: add (Maelstrom's broadcast) and read of whole sets, judged by Jepsen's set-full criteria.

/**
 * Why no level is checked on a set: the levels are defined over an order of writes that reads show, and a
 * set read is unordered (reads need not even be nested); Jepsen's set-full criteria, which leaderlog
 * applies, are weaker than linearizability (reads running at once are not compared).
 */
const SET_LEVELS_REASON =
  "a set's reads show no order of its adds, which sequential consistency and the session guarantees are defined over, and Jepsen's set-full criteria " +
  '(what leaderlog checks a set by) are weaker than linearizability; --set-reads linearizable makes stale reads fail the set check';

export const setWorkload = {
  name: 'set',
  recognise: (fs) => [...SET_ADDS].some((add) => fs.has(add) && [...fs].every((f) => f === add || f === 'read')),
  prove: (history, options) => {
    const set = checkSet(history, { reads: options.setReads });
    return { model: 'set', verdict: set.valid ? 'valid' : 'invalid', set };
  },
  findings: (history, options) => [{ anomalies: (options.set ?? checkSet(history)).anomalies, inconclusive: [] }],
  levels: { none: SET_LEVELS_REASON },
  allowed: (history, options) => (options.set ?? checkSet(history)).allowed,
} as const satisfies WorkloadDefinition;
