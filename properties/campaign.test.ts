import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Preset } from '../models/index.ts';
import { presets } from '../models/index.ts';
import { presetScheduleArbitrary } from './arbitraries/preset-schedule.ts';
import type { CampaignOptions, CampaignOutcome } from './campaign.ts';
import { runCampaign } from './campaign.ts';
import { campaignStatus, judgePreset } from './expectation.ts';
import { propertyNamed } from './properties.ts';
import type { Property } from './property.ts';
import { HELD } from './property.ts';
import { presetSubject } from './subject.ts';

const noLostWrite = propertyNamed('no-lost-write')!;

/** What a campaign decided, without the observations (which hold functions). */
function summary(outcome: CampaignOutcome) {
  return {
    runs: outcome.runs,
    properties: outcome.properties.map((p) => ({
      property: p.property,
      status: p.status,
      runs: p.runs,
      ...(p.counterexample && {
        run: p.counterexample.run,
        path: p.counterexample.path,
        schedule: p.counterexample.schedule,
        verdict: p.counterexample.verdict,
      }),
    })),
  };
}

const campaign = (preset: Preset, options: Partial<CampaignOptions> = {}) =>
  runCampaign(preset, { runs: 60, seed: 4, properties: [noLostWrite], ...options });

describe('the campaign', () => {
  it('holds every property of safe, counting each run', () => {
    let runs = 0;
    const outcome = runCampaign(presets.safe, { runs: 40, seed: 1, onRun: () => runs++ });
    expect(runs).toBe(40);
    expect(outcome.properties.map((p) => [p.property, p.status, p.runs])).toEqual(
      ['linearizable', 'no-lost-write', 'no-stale-read', 'single-leader', 'invariants', 'converges'].map((name) => [name, 'held', 40]),
    );
  });

  it('gives the same outcome for the same seed, and another for another seed', () => {
    const first = summary(campaign(presets['async-failover']));
    expect(first.properties[0].status).toBe('violated');
    expect(summary(campaign(presets['async-failover']))).toEqual(first);
    expect(summary(campaign(presets['async-failover'], { seed: 5 }))).not.toEqual(first);
  });

  it('draws the shrunk schedule again from its seed and path', () => {
    const counterexample = campaign(presets['async-failover']).properties[0].counterexample!;
    expect(counterexample.path.split(':')[0]).toBe(String(counterexample.run));
    const replayed = fc.check(
      fc.property(presetScheduleArbitrary(presets['async-failover']), () => false),
      {
        seed: counterexample.seed,
        path: counterexample.path,
        endOnFailure: true,
      },
    );
    expect(replayed.counterexample![0]).toEqual(counterexample.schedule);
  });

  it('splits the runs between shards: the shard holding the first failing run finds the same counterexample', () => {
    const whole = campaign(presets['async-failover'], { starts: 1 });
    const run = whole.properties[0].counterexample!.run;
    const shards = [0, 1, 2].map((index) => campaign(presets['async-failover'], { starts: 1, shard: { index, count: 3 } }));
    expect(shards.map((s) => s.runs)).toEqual([20, 20, 20]);
    const owner = shards[run % 3].properties[0];
    expect(owner.counterexample!.schedule).toEqual(whole.properties[0].counterexample!.schedule);
    expect(owner.counterexample!.path).toBe(whole.properties[0].counterexample!.path);
    expect(owner.runs).toBe(Math.floor(run / 3) + 1);
  });

  it('keeps the shortest of several shrunk starting points', () => {
    const one = campaign(presets['unsynced-restart'], { starts: 1, runs: 300 }).properties[0].counterexample!;
    const three = campaign(presets['unsynced-restart'], { starts: 3, runs: 300 }).properties[0].counterexample!;
    expect(three.schedule.length).toBeLessThanOrEqual(one.schedule.length);
  });

  it('reports an unknown as unknown, shrunk like a failure', () => {
    const undecided: Property = {
      name: 'converges',
      claim: 'test: unknown whenever a node crashes',
      check: (o) => (o.schedule.some((a) => a.kind === 'crash') ? { status: 'unknown', reason: 'a crash' } : HELD),
    };
    const outcome = runCampaign(presets.safe, { runs: 100, seed: 1, properties: [undecided] });
    expect(outcome.properties[0].status).toBe('unknown');
    expect(outcome.properties[0].counterexample!.schedule).toEqual([{ kind: 'crash', node: 0 }]);
    expect(judgePreset(outcome).verdict).toBe('unknown');
  });

  it('shrinks a violation without changing its name', () => {
    const named: Property = {
      name: 'invariants',
      claim: 'test: a crash or a partition, named for the first of them',
      check: (o) => {
        const fault = o.schedule.find((a) => a.kind === 'crash' || a.kind === 'partition');
        return fault ? { status: 'violated', names: [fault.kind], reasons: [], anomalies: [] } : HELD;
      },
    };
    for (const seed of [1, 2, 3]) {
      const counterexample = runCampaign(presets.safe, { runs: 100, seed, properties: [named] }).properties[0].counterexample!;
      const name = counterexample.verdict.status === 'violated' ? counterexample.verdict.names[0] : '';
      expect(counterexample.schedule).toHaveLength(1);
      expect(counterexample.schedule[0].kind).toBe(name);
    }
  });
});

describe('judging a preset', () => {
  const outcome = (preset: Preset, statuses: Record<string, { status: 'violated' | 'unknown'; names?: string[] }>): CampaignOutcome => ({
    subject: presetSubject(preset),
    seed: 1,
    runs: 10,
    properties: ['linearizable', 'no-lost-write', 'single-leader'].map((property) => {
      const failed = statuses[property];
      if (!failed) return { property: property as 'linearizable', status: 'held', runs: 10 };
      const verdict =
        failed.status === 'violated'
          ? { status: 'violated' as const, names: failed.names ?? [], reasons: [], anomalies: [] }
          : { status: 'unknown' as const, reason: 'budget' };
      return { property: property as 'linearizable', status: failed.status, runs: 3, counterexample: { verdict } as never };
    }),
  });

  it('holds a correct design to every property and a flawed one to being caught', () => {
    expect(judgePreset(outcome(presets.safe, {})).verdict).toBe('held');
    expect(judgePreset(outcome(presets.safe, { linearizable: { status: 'violated', names: ['stale-read'] } })).verdict).toBe('failed');
    expect(judgePreset(outcome(presets.safe, { linearizable: { status: 'unknown' } })).verdict).toBe('unknown');
    const naive = presets['naive-failover'];
    expect(
      judgePreset(
        outcome(naive, {
          'no-lost-write': { status: 'violated', names: ['lost-write'] },
          'single-leader': { status: 'violated', names: ['dual-leader'] },
        }),
      ),
    ).toEqual({
      verdict: 'caught',
      named: ['lost-write', 'dual-leader'],
      missing: [],
    });
    expect(judgePreset(outcome(naive, { 'no-lost-write': { status: 'violated', names: ['lost-write', 'stale-read'] } }))).toEqual({
      verdict: 'missed',
      named: ['lost-write', 'stale-read'],
      missing: ['dual-leader'],
    });
    expect(judgePreset(outcome(naive, {})).verdict).toBe('missed');
  });

  it('is as expected only when nothing failed or was missed', () => {
    expect(campaignStatus(['held', 'caught'])).toBe('as-expected');
    expect(campaignStatus(['held', 'unknown', 'caught'])).toBe('unknown');
    expect(campaignStatus(['unknown', 'missed'])).toBe('unexpected');
    expect(campaignStatus(['failed', 'caught'])).toBe('unexpected');
  });
});
