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
  // Five nodes: the two that hold the write are outvoted.
  'semi-sync-failover': { linearizable: 6, 'no-lost-write': 6 },
  // A follower promotes itself; a write to it is acknowledged by it alone.
  'naive-failover': { linearizable: 5, 'no-lost-write': 5, 'single-leader': 2 },
  'no-fencing': { linearizable: 2, 'no-lost-write': 2, 'single-leader': 3 },
  // A write committed without n3; a read at n3.
  'follower-reads': { 'no-stale-read': 5 },
  // A new leader answers before it has learnt what its predecessor committed.
  'stale-leader-reads': { linearizable: 13, 'no-stale-read': 13 },
  // The majority that held a write crashes before flushing it.
  'unsynced-restart': { linearizable: 6, 'no-lost-write': 6 },
  // A write held by n1 alone; n2 elected without it; n1 re-elected, spreads it and crashes; n2 again.
  'figure-8': { linearizable: 33, 'no-lost-write': 33 },
  // Two candidates at once and a voter that restarts between their requests.
  'forgotten-votes': { 'single-leader': 11 },
  // The followers' promise (60 steps of a fast clock, 48 of real time) must run out before a new
  // leader can be elected: the shortest story waits that long.
  'long-lease': { linearizable: 60, 'no-stale-read': 60 },
  'lease-from-reply': { linearizable: 60, 'no-stale-read': 60 },
  'last-tick-lease': { linearizable: 60, 'no-stale-read': 60 },
  // The leader cut off, another elected, a write through it, a read at the old one.
  'unconfirmed-reads': { linearizable: 13, 'no-stale-read': 13 },
  // A heartbeat overtaken by a write pipelined behind it, then the leader crashes.
  'stale-append': { linearizable: 6, 'no-lost-write': 6 },
};

describe.each(Object.keys(SHRUNK).map((name) => presets[name]))('$name', (preset: Preset) => {
  // Lost writes and stale reads break linearizability; two leaders need not, when their writes happen to order.
  const breaksLinearizability = preset.expected.some((kind) => kind !== 'dual-leader');
  const checked = [
    ...new Set([
      ...(promisedLevel(preset) === 'linearizable' && breaksLinearizability ? ['linearizable' as const] : []),
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
