import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asyncKv } from '../../examples/async-kv/system.ts';
import type { Action, Schedule } from '../../models/index.ts';
import { presets } from '../../models/index.ts';
import { runCampaign } from '../campaign.ts';
import { propertyNamed } from '../properties.ts';
import { validateSchedule } from '../schedule-validation.ts';
import { presetSubject, systemSubject } from '../subject.ts';
import { crashAfterAppendArbitrary, electArbitrary, leaderChainArbitrary, replicateToOneArbitrary } from './deep-units.ts';
import { presetScheduleArbitrary, subjectScheduleArbitrary } from './preset-schedule.ts';
import { scheduleArbitrary } from './schedule.ts';
import type { ScheduleUnit } from './schedule-unit.ts';
import { flattenUnits, splitUnit } from './schedule-unit.ts';
import { shapeOf } from './shape.ts';

// The deep units and swarm profiles (`swarm: true`): plain actions any system runs, which reach the
// states they are named for on the built-in design, and shrink into the few actions that matter.

// safe at three nodes only: the units are drawn for the cluster they are checked on.
const safe3 = { ...presets.safe, sizes: [3] };
const shape = shapeOf(safe3);
const safe = presetSubject(safe3);
const sampleUnits = (arbitrary: fc.Arbitrary<ScheduleUnit>, numRuns = 50) => fc.sample(arbitrary, { seed: 3, numRuns });
const leaderAfter = (schedule: Schedule) =>
  safe
    .run(schedule)
    .trace[schedule.length - 1].nodes.filter((n) => n.role === 'leader')
    .map((n) => n.id);

describe('deep schedule units', () => {
  it('elect the node they name', () => {
    for (const unit of sampleUnits(electArbitrary(shape))) {
      const steps = flattenUnits([unit]);
      const ticked = (steps[0] as Extract<Action, { kind: 'tick' }>).node;
      expect(leaderAfter(steps)).toEqual([`n${ticked + 1}`]);
    }
  });

  it('change leaders in a chain, each link electing its node', () => {
    const changes = sampleUnits(leaderChainArbitrary(shape, 'register')).map((unit) => {
      const steps = flattenUnits([unit]);
      return new Set(
        safe.run(steps).trace.flatMap((step) => step.nodes.filter((n) => n.role === 'leader').map((n) => `${n.id}@${n.epoch}`)),
      ).size;
    });
    expect(Math.min(...changes)).toBeGreaterThanOrEqual(2);
  });

  it('replicate a write to exactly one follower while the others are cut off, and acknowledge it', () => {
    for (const unit of sampleUnits(replicateToOneArbitrary(shape, 'register'))) {
      if ('steps' in unit) throw new Error('three nodes: someone is cut off');
      const leader = (unit.open as Extract<Action, { kind: 'cut' }>).from;
      if (leader !== 0) continue; // n1 (index 0) leads the fresh cluster
      const steps = flattenUnits([unit]).filter((a) => a.kind !== 'heal');
      const run = safe.run(steps);
      const logs = run.trace[steps.length - 1].nodes.map((n) => n.log);
      expect(logs.filter((length) => length === logs[0]).length, JSON.stringify(steps)).toBe(2);
      expect(run.events.some((e) => e.type === 'ok' && e.f === 'write')).toBe(true);
    }
  });

  it('crash the leader right after it appends, and restart it later', () => {
    for (const unit of sampleUnits(crashAfterAppendArbitrary(shape, 'list-append'))) {
      const steps = flattenUnits([unit]);
      const crash = steps.findIndex((a) => a.kind === 'crash');
      expect(steps[0]).toMatchObject({ kind: 'invoke', f: 'append' });
      expect(crash).toBeGreaterThan(0);
      const closed = flattenUnits([unit, ...Array.from({ length: 25 }, (): ScheduleUnit => ({ steps: [{ kind: 'tick', node: 0 }] }))]);
      if ('span' in unit && unit.span !== null)
        expect(closed).toContainEqual({ kind: 'restart', node: (steps[crash] as Extract<Action, { kind: 'crash' }>).node });
    }
  });

  it('split into units standing for the same actions, a window ending where it did', () => {
    for (const unit of sampleUnits(crashAfterAppendArbitrary(shape, 'register'))) {
      const parts = splitUnit(unit)!;
      const after = [{ steps: [{ kind: 'tick', node: 1 }] }, { steps: [{ kind: 'tick', node: 2 }] }] satisfies ScheduleUnit[];
      expect(flattenUnits([...parts, ...after])).toEqual(flattenUnits([unit, ...after]));
    }
    expect(splitUnit({ steps: [{ kind: 'heal' }] })).toBeNull();
  });
});

describe('swarm schedules', () => {
  it('draw valid actions within the cluster, the same for the same seed, and restart only crashed nodes', () => {
    const drawn = fc.sample(scheduleArbitrary(shape, { swarm: true }), { seed: 5, numRuns: 150 });
    expect(fc.sample(scheduleArbitrary(shape, { swarm: true }), { seed: 5, numRuns: 150 })).toEqual(drawn);
    for (const schedule of drawn) {
      expect(validateSchedule(schedule)).toBeNull();
      const down = new Map<number, number>();
      for (const action of schedule) {
        if (action.kind === 'crash') down.set(action.node, (down.get(action.node) ?? 0) + 1);
        if (action.kind === 'restart') {
          expect(down.get(action.node) ?? 0).toBeGreaterThan(0);
          down.set(action.node, down.get(action.node)! - 1);
        }
      }
    }
    // Some runs draw the no-drops profile, some draw drops.
    expect(drawn.some((s) => s.length > 20 && !s.some((a) => a.kind === 'drop' || a.kind === 'duplicate'))).toBe(true);
    expect(drawn.some((s) => s.filter((a) => a.kind === 'drop').length >= 5)).toBe(true);
  });

  it('are the default; swarm: false draws every schedule from the one mixture', () => {
    const drawn = fc.sample(presetScheduleArbitrary(presets.safe), { seed: 2, numRuns: 30 });
    expect(fc.sample(presetScheduleArbitrary(presets.safe, { swarm: true }), { seed: 2, numRuns: 30 })).toEqual(drawn);
    expect(fc.sample(presetScheduleArbitrary(presets.safe, { swarm: false }), { seed: 2, numRuns: 30 })).not.toEqual(drawn);
  });

  it('draw a cluster size per run for a design that runs at several: its own most often, the others too', () => {
    const sizes = fc
      .sample(presetScheduleArbitrary(presets.safe), { seed: 3, numRuns: 300 })
      .map((s) => (s[0]?.kind === 'cluster' ? s[0].nodes : 3));
    expect(new Set(sizes)).toEqual(new Set([3, 4, 5]));
    expect(
      fc
        .sample(presetScheduleArbitrary(presets['async-failover']), { seed: 3, numRuns: 100 })
        .flat()
        .some((a) => a.kind === 'cluster'),
    ).toBe(false);
  });

  it('shrink a deep unit into the few actions that matter', () => {
    const arbitrary = subjectScheduleArbitrary(safe, { swarm: true });
    const crashesLeader = (s: Schedule) => s.some((a, i) => a.kind === 'crash' && s.slice(0, i).some((b) => b.kind === 'invoke'));
    const details = fc.check(
      fc.property(arbitrary, (s) => !crashesLeader(s)),
      { seed: 4, numRuns: 500 },
    );
    expect(details.failed).toBe(true);
    expect(details.counterexample![0].length).toBeLessThanOrEqual(3);
  });

  it('drive a user system, which the campaign still catches', () => {
    const subject = systemSubject(asyncKv);
    const outcome = runCampaign(subject, {
      runs: 150,
      seed: 1,
      schedules: { swarm: true },
      properties: [propertyNamed('no-lost-write')!],
      shrinkBudget: 300,
      starts: 2,
    });
    expect(outcome.properties[0].status).toBe('violated');
    expect(outcome.properties[0].counterexample!.schedule.length).toBeLessThanOrEqual(8);
  });
});
