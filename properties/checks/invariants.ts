import type { Observation } from '../observation.ts';
import type { Property, PropertyVerdict } from '../property.ts';
import { HELD } from '../property.ts';

/** The model's own safety invariants (models/leader-follower/invariants.ts), checked after every step of the run. */
export const invariants: Property = {
  name: 'invariants',
  claim:
    "the design's invariants hold after every step (the model's: one leader and one vote per epoch, committed entries kept and unchanged, logs agree, stores replay their logs, commit points never go back, leases exclusive, matchIndex held)",
  notApplicable: (subject) =>
    subject.preset || subject.system?.invariants || subject.system?.monitor ? null : 'the system declares no invariants and no monitor',
  check(observation: Observation): PropertyVerdict {
    const violations = observation.run.violations;
    if (violations === null) return { status: 'not-applicable', reason: 'the system declares no invariants and no monitor' };
    if (violations.length === 0) return HELD;
    return {
      status: 'violated',
      names: [...new Set(violations.map((v) => v.kind))],
      reasons: violations.map((v) => `after step ${v.time}: ${v.kind}: ${v.detail}`),
      anomalies: [],
    };
  },
};
