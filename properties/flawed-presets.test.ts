import { beforeAll, describe, expect, it } from 'vitest';
import type { ExpectedAnomaly, Preset } from '../models/index.ts';
import { presets } from '../models/index.ts';
import type { CampaignOutcome } from './campaign.ts';
import { runCampaign } from './campaign.ts';
import { promisedLevel } from './promises.ts';
import { propertyNamed } from './properties.ts';
import type { PropertyName } from './property.ts';

// Every flawed design is caught by the default campaign (seed 1, as `leaderlog test` runs it): within
// the budget, each anomaly it is known for is found by the property that forbids it and named as that
// anomaly, the linearizability check fails with one of them as the name, and the counterexample
// shrinks to a short story. The bounds are the shortest the campaign reaches, kept so it cannot slip.

const SEED = 1;
const BUDGET = 1000;

const PROPERTY_FOR: Readonly<Record<ExpectedAnomaly, PropertyName>> = {
  'lost-write': 'no-lost-write',
  'stale-read': 'no-stale-read',
  'dual-leader': 'single-leader',
};

/** Per preset, the most steps each failing property's counterexample may take. */
const SHRUNK: Readonly<Record<string, Partial<Record<PropertyName, number>>>> = {
  // A follower is promoted while the leader acknowledges a write alone.
  'async-failover': { linearizable: 2, 'no-lost-write': 2 },
  // Five nodes: the two that hold the write are outvoted. (7, not 3, since the design runs on the world
  // runner: its leader resends on every tick, the campaign's first failing runs differ, and the shrinker,
  // a local search, ends at five ticks where it once found a promotion.)
  'semi-sync-failover': { linearizable: 7, 'no-lost-write': 7 },
  'naive-failover': { linearizable: 3, 'no-lost-write': 3, 'single-leader': 4 },
  'no-fencing': { linearizable: 2, 'no-lost-write': 2, 'single-leader': 3 },
  // A write committed without n3; a read at n3.
  'follower-reads': { 'no-stale-read': 4 },
  // A new leader answers before it has learnt what its predecessor committed.
  'stale-leader-reads': { linearizable: 10, 'no-stale-read': 10 },
  // The majority that held a write crashes before flushing it.
  'unsynced-restart': { linearizable: 5, 'no-lost-write': 5 },
};

describe.each(Object.keys(SHRUNK).map((name) => presets[name]))('$name', (preset: Preset) => {
  const checked = [
    ...new Set([
      ...(promisedLevel(preset) === 'linearizable' ? ['linearizable' as const] : []),
      ...preset.expected.map((kind) => PROPERTY_FOR[kind]),
    ]),
  ];
  let outcome: CampaignOutcome;
  beforeAll(() => {
    outcome = runCampaign(preset, { runs: BUDGET, seed: SEED, properties: checked.map((name) => propertyNamed(name)!) });
  });
  const found = (property: PropertyName) => outcome.properties.find((p) => p.property === property)!.counterexample;

  it.each(preset.expected)(`is caught: %s found within ${BUDGET} runs, and named so`, (kind) => {
    const counterexample = found(PROPERTY_FOR[kind]);
    expect(counterexample, `no counterexample for ${PROPERTY_FOR[kind]}`).toBeDefined();
    expect(counterexample!.verdict).toMatchObject({ status: 'violated', names: [kind] });
    // Proved by anomalies: what the history shows, or (two leaders) what the model's ghost record saw.
    const proof = counterexample!.verdict.status === 'violated' ? counterexample!.verdict.anomalies : [];
    expect(proof.map((a) => a.kind)).toContain(kind);
  });

  if (checked.includes('linearizable')) {
    it('is not linearizable, for a reason it is known for', () => {
      const counterexample = found('linearizable');
      expect(counterexample?.verdict.status).toBe('violated');
      const names = counterexample!.verdict.status === 'violated' ? counterexample!.verdict.names : [];
      expect(
        names.some((name) => (preset.expected as readonly string[]).includes(name)),
        names.join(),
      ).toBe(true);
    });
  }

  it('shrinks each counterexample to a short story', () => {
    const lengths = Object.fromEntries(outcome.properties.map((p) => [p.property, p.counterexample?.schedule.length]));
    for (const [property, bound] of Object.entries(SHRUNK[preset.name])) {
      expect(lengths[property], `${property}: ${JSON.stringify(found(property as PropertyName)?.schedule)}`).toBeLessThanOrEqual(bound!);
    }
  });
});
