import type { ScheduleWeights } from './weights.ts';

// Swarm testing (Groce et al., "Swarm Testing", ISSTA 2012): rather than every schedule mixing every
// kind of unit at the same odds, each run draws a profile of weights first. A schedule with no drops
// lets writes be acknowledged and leaders settle; a fault-heavy one piles faults on; a churning one
// changes leaders again and again. Bugs that need calm and bugs that need chaos are then both in reach,
// where one mixture would dilute each. Every profile draws deep units too; fault-heavy only those that end in a
// crash or a reordering (crash after an append, overtake) and acknowledged writes for them to lose.
// The default; `swarm: false` (`leaderlog test --no-swarm`) draws every schedule from DEFAULT_WEIGHTS alone.

export interface WeightProfile {
  readonly name: string;
  /** How often the profile is drawn, relative to the others. */
  readonly weight: number;
  /** Overrides of DEFAULT_WEIGHTS. */
  readonly weights: Partial<ScheduleWeights>;
}

export const SWARM_PROFILES: readonly WeightProfile[] = [
  {
    name: 'mixed',
    weight: 2,
    weights: {
      elect: 1,
      ackedWrite: 3,
      replicateToOne: 1,
      crashAfterAppend: 1,
      leaderChain: 1,
      depose: 1,
      splitVote: 1,
      reelect: 1,
      overtake: 1,
    },
  },
  {
    name: 'no-drops',
    weight: 1,
    weights: { drop: 0, duplicate: 0, cut: 0, ackedWrite: 6, elect: 1, replicateToOne: 1, crashAfterAppend: 1, depose: 1 },
  },
  {
    name: 'fault-heavy',
    weight: 1,
    weights: { crash: 6, partition: 5, cut: 3, drop: 8, duplicate: 4, crashAfterAppend: 3, ackedWrite: 3, overtake: 2 },
  },
  {
    name: 'leader-churn',
    weight: 1,
    weights: {
      elect: 5,
      leaderChain: 2,
      crashAfterAppend: 3,
      replicateToOne: 3,
      ackedWrite: 5,
      promote: 2,
      demote: 2,
      depose: 2,
      splitVote: 2,
      reelect: 2,
    },
  },
];
