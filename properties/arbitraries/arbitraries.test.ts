import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Action, Schedule } from '../../models/index.ts';
import { presets } from '../../models/index.ts';
import { validateSchedule } from '../schedule-validation.ts';
import { crashWindowArbitrary, cutWindowArbitrary, partitionWindowArbitrary, pauseWindowArbitrary } from './fault-window.ts';
import { presetScheduleArbitrary } from './preset-schedule.ts';
import { scheduleArbitrary } from './schedule.ts';
import type { ScheduleUnit } from './schedule-unit.ts';
import { flattenUnits } from './schedule-unit.ts';
import { shapeOf } from './shape.ts';
import { ticksArbitrary } from './tick.ts';
import { unitListArbitrary } from './unit-list.ts';
import { DEFAULT_WEIGHTS, validateWeights } from './weights.ts';

const shape = shapeOf({ ...presets.safe, sizes: [3] });
const sample = (arbitrary: fc.Arbitrary<Schedule>, numRuns = 200) => fc.sample(arbitrary, { seed: 7, numRuns });

describe('schedule arbitraries', () => {
  it('draw only valid actions, every index within the cluster', () => {
    for (const schedule of sample(scheduleArbitrary(shape))) {
      expect(validateSchedule(schedule)).toBeNull();
      for (const action of schedule) {
        for (const field of ['client', 'node', 'from', 'to'] as const) {
          const value = (action as Record<string, unknown>)[field];
          if (value === undefined) continue;
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThan(field === 'client' ? shape.clients : shape.nodes);
        }
        if (action.kind === 'invoke') expect(action.key).toBeLessThan(shape.keys);
        if (action.kind === 'cut') expect(action.from).not.toBe(action.to);
        if (action.kind === 'partition') expect(new Set(action.groups).size).toBe(2);
      }
    }
  });

  it('keep each schedule to one workload', () => {
    const fsOf = (schedule: Schedule) => new Set(schedule.flatMap((a) => (a.kind === 'invoke' ? [a.f] : [])));
    for (const schedule of sample(scheduleArbitrary(shape, { workload: 'register' }))) {
      for (const f of fsOf(schedule)) expect(['read', 'write', 'cas']).toContain(f);
    }
    for (const schedule of sample(scheduleArbitrary(shape, { workload: 'list-append' }))) {
      for (const f of fsOf(schedule)) expect(['read', 'append']).toContain(f);
    }
    const mixed = sample(presetScheduleArbitrary(presets.safe), 300).map(fsOf);
    expect(mixed.some((fs) => fs.has('append'))).toBe(true);
    expect(mixed.some((fs) => fs.has('write'))).toBe(true);
    expect(mixed.every((fs) => !(fs.has('append') && (fs.has('write') || fs.has('cas'))))).toBe(true);
  });

  it('only ever restart a crashed node and heal after a fault', () => {
    for (const schedule of sample(scheduleArbitrary(shape))) {
      const down = new Map<number, number>();
      let faults = 0;
      for (const action of schedule) {
        if (action.kind === 'crash') down.set(action.node, (down.get(action.node) ?? 0) + 1);
        if (action.kind === 'restart') {
          expect(down.get(action.node) ?? 0).toBeGreaterThan(0);
          down.set(action.node, down.get(action.node)! - 1);
        }
        if (action.kind === 'partition' || action.kind === 'cut') faults++;
        if (action.kind === 'heal') expect(faults).toBeGreaterThan(0);
      }
    }
  });

  it('are mostly deliveries and ticks, so the cluster makes progress', () => {
    const actions = sample(scheduleArbitrary(shape)).flat();
    const progress = actions.filter((a) => a.kind === 'deliver' || a.kind === 'tick').length;
    expect(progress / actions.length).toBeGreaterThan(0.5);
    expect(actions.some((a) => a.kind === 'crash')).toBe(true);
    expect(actions.some((a) => a.kind === 'invoke' && a.node !== undefined)).toBe(true);
    expect(actions.some((a) => a.kind === 'invoke' && a.node === undefined)).toBe(true);
  });

  it('follow the weights: a kind weighted 0 never appears', () => {
    const only = { ...Object.fromEntries(Object.keys(DEFAULT_WEIGHTS).map((k) => [k, 0])), deliver: 1, crash: 1 };
    const kinds = new Set(
      sample(scheduleArbitrary(shape, { weights: only, swarm: false }))
        .flat()
        .map((a) => a.kind),
    );
    expect([...kinds].sort()).toEqual(['crash', 'deliver', 'restart']);
    const noFaults = sample(scheduleArbitrary(shape, { weights: { crash: 0, partition: 0, cut: 0 }, swarm: false })).flat();
    expect(noFaults.some((a) => ['crash', 'restart', 'partition', 'cut', 'heal'].includes(a.kind))).toBe(false);
  });

  it('reject weights that are not whole numbers or all zero', () => {
    expect(() => validateWeights({ ...DEFAULT_WEIGHTS, tick: -1 })).toThrow(/tick must be a whole number/);
    expect(() => validateWeights({ ...DEFAULT_WEIGHTS, drop: 0.5 })).toThrow(/drop/);
    const zero = Object.fromEntries(Object.keys(DEFAULT_WEIGHTS).map((k) => [k, 0])) as unknown as typeof DEFAULT_WEIGHTS;
    expect(() => validateWeights(zero)).toThrow(/at least one/);
    expect(() => scheduleArbitrary(shape, { directed: 101 })).toThrow(/percentage/);
  });

  it('draw the same schedules from the same seed', () => {
    expect(sample(presetScheduleArbitrary(presets.safe), 50)).toEqual(sample(presetScheduleArbitrary(presets.safe), 50));
  });

  it('tick a node in bursts of up to its patience', () => {
    const bursts = fc.sample(ticksArbitrary(shape), { seed: 3, numRuns: 200 });
    for (const burst of bursts) {
      const steps = (burst as { steps: readonly Action[] }).steps;
      expect(steps.length).toBeGreaterThanOrEqual(1);
      expect(steps.length).toBeLessThanOrEqual(shape.patience);
      expect(new Set(steps.map((a) => JSON.stringify(a))).size).toBe(1);
    }
    expect(Math.max(...bursts.map((b) => (b as { steps: readonly Action[] }).steps.length))).toBe(shape.patience);
  });
});

describe('fault windows', () => {
  const step = (action: Action): ScheduleUnit => ({ steps: [action] });
  const tick = (node: number): ScheduleUnit => step({ kind: 'tick', node });
  const crash = (node: number, span: number | null): ScheduleUnit => ({
    open: { kind: 'crash', node },
    close: { kind: 'restart', node },
    span,
  });

  it('close after their span, before the unit that span reaches', () => {
    expect(flattenUnits([crash(1, 1), tick(0), tick(2), tick(0)])).toEqual([
      { kind: 'crash', node: 1 },
      { kind: 'tick', node: 0 },
      { kind: 'restart', node: 1 },
      { kind: 'tick', node: 2 },
      { kind: 'tick', node: 0 },
    ]);
    expect(flattenUnits([crash(1, 0), tick(0)])).toEqual([
      { kind: 'crash', node: 1 },
      { kind: 'restart', node: 1 },
      { kind: 'tick', node: 0 },
    ]);
    expect(flattenUnits([tick(0), crash(2, 0)])).toEqual([
      { kind: 'tick', node: 0 },
      { kind: 'crash', node: 2 },
      { kind: 'restart', node: 2 },
    ]);
  });

  it('close at the end when the span ends there, and stay open with a null span or one past the end', () => {
    expect(flattenUnits([crash(1, null), tick(0)])).toEqual([
      { kind: 'crash', node: 1 },
      { kind: 'tick', node: 0 },
    ]);
    expect(flattenUnits([crash(2, 1), tick(0)])).toEqual([
      { kind: 'crash', node: 2 },
      { kind: 'tick', node: 0 },
      { kind: 'restart', node: 2 },
    ]);
    expect(flattenUnits([tick(0), crash(2, 1)])).toEqual([
      { kind: 'tick', node: 0 },
      { kind: 'crash', node: 2 },
    ]);
  });

  it('shrink as one unit: a crash with its restart, a partition with its heal', () => {
    const arbitrary = scheduleArbitrary(shape, { swarm: false });
    const shrunk = (fault: Action['kind']) => {
      const details = fc.check(
        fc.property(arbitrary, (s) => !s.some((a) => a.kind === fault)),
        { seed: 5 },
      );
      expect(details.failed).toBe(true);
      return details.counterexample![0];
    };
    expect(shrunk('crash')).toEqual([{ kind: 'crash', node: 0 }]);
    expect(shrunk('partition')).toEqual([{ kind: 'partition', groups: [1, 0, 0] }]);
    expect(shrunk('cut')).toEqual([{ kind: 'cut', from: 0, to: 1 }]);
    // A schedule needing a restart keeps the crash that comes with it.
    const details = fc.check(
      fc.property(arbitrary, (s) => !s.some((a) => a.kind === 'restart')),
      { seed: 5 },
    );
    expect(details.counterexample![0]).toEqual([
      { kind: 'crash', node: 0 },
      { kind: 'restart', node: 0 },
    ]);
  });

  it('draw every two-sided partition and every one-way cut', () => {
    const five = { ...shape, nodes: 5 };
    const splits = new Set(
      fc.sample(partitionWindowArbitrary(five), { seed: 1, numRuns: 2000 }).map((u) => JSON.stringify((u as { open: Action }).open)),
    );
    expect(splits.size).toBe(2 ** 5 - 2);
    const cuts = new Set(
      fc.sample(cutWindowArbitrary(shape), { seed: 1, numRuns: 500 }).map((u) => JSON.stringify((u as { open: Action }).open)),
    );
    expect(cuts.size).toBe(shape.nodes * (shape.nodes - 1));
    const crashes = fc.sample(crashWindowArbitrary(shape), { seed: 1, numRuns: 200 }) as { open: Action; close: Action }[];
    for (const unit of crashes) expect(unit.close).toEqual({ ...unit.open, kind: 'restart' });
  });

  it('pause as weighted, each pause resumed by its window', () => {
    expect(
      sample(scheduleArbitrary(shape, { weights: { pause: 0 } }))
        .flat()
        .some((a) => a.kind === 'pause' || a.kind === 'resume'),
    ).toBe(false);
    const paused = sample(scheduleArbitrary(shape, { weights: { pause: 4 } }));
    expect(paused.flat().some((a) => a.kind === 'pause')).toBe(true);
    for (const schedule of paused) {
      expect(validateSchedule(schedule)).toBeNull();
      const open = new Map<number, number>();
      for (const action of schedule) {
        if (action.kind === 'pause') open.set(action.node, (open.get(action.node) ?? 0) + 1);
        if (action.kind === 'resume') {
          expect(open.get(action.node) ?? 0).toBeGreaterThan(0);
          open.set(action.node, open.get(action.node)! - 1);
        }
      }
    }
    const windows = fc.sample(pauseWindowArbitrary(shape), { seed: 1, numRuns: 100 }) as { open: Action; close: Action }[];
    for (const unit of windows) expect(unit.close).toEqual({ ...unit.open, kind: 'resume' });
  });
});

describe('unit lists', () => {
  it('shrink by removal first, to the one unit that matters', () => {
    const arbitrary = unitListArbitrary(fc.nat({ max: 20 }), 40);
    const details = fc.check(
      fc.property(arbitrary, (list) => !list.includes(17)),
      { seed: 2, numRuns: 2000 },
    );
    expect(details.failed).toBe(true);
    expect(details.counterexample![0]).toEqual([17]);
    const atLeast = fc.check(
      fc.property(arbitrary, (list) => list.filter((x) => x >= 10).length < 3),
      { seed: 2 },
    );
    expect(atLeast.counterexample![0]).toEqual([10, 10, 10]);
  });

  it('replay by seed and path, shrinks included', () => {
    const arbitrary = unitListArbitrary(fc.nat({ max: 20 }), 40);
    const predicate = (list: number[]) => list.reduce((a, b) => a + b, 0) < 30;
    const first = fc.check(fc.property(arbitrary, predicate), { seed: 9 });
    const again = fc.check(fc.property(arbitrary, predicate), { seed: 9, path: first.counterexamplePath! });
    expect(again.counterexample).toEqual(first.counterexample);
    expect(first.counterexample![0].reduce((a, b) => a + b, 0)).toBe(30);
  });
});
