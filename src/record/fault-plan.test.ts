import { describe, expect, test } from 'vitest';
import type { PlanOptions } from './fault-plan.ts';
import { describeFaultPlan, describePerformedPlan, FAULT_KINDS, planFaults } from './fault-plan.ts';

const base: PlanOptions = { seed: 42, durationMs: 30_000, faults: FAULT_KINDS, nodes: 3, clients: 5 };

describe('seeded fault plans', () => {
  test('the same seed gives the same plan, byte for byte', () => {
    expect(JSON.stringify(planFaults(base))).toBe(JSON.stringify(planFaults({ ...base })));
  });

  test('another seed gives another plan', () => {
    expect(JSON.stringify(planFaults({ ...base, seed: 43 }))).not.toBe(JSON.stringify(planFaults(base)));
  });

  test('every step falls inside the run, in time order', () => {
    for (let seed = 0; seed < 50; seed++) {
      const plan = planFaults({ ...base, seed });
      const times = plan.map((step) => step.atMs);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times.every((t) => t > 0 && t < base.durationMs)).toBe(true);
    }
  });

  test('each fault is ended before the next begins', () => {
    for (let seed = 0; seed < 50; seed++) {
      let paused = false;
      let killed = false;
      let cut = false;
      for (const step of planFaults({ ...base, seed })) {
        if (step.action === 'pause') expect(paused || killed || cut).toBe(false);
        if (step.action === 'kill' || step.action === 'partition') expect(paused || killed || cut).toBe(false);
        paused = step.action === 'pause' ? true : step.action === 'resume' ? false : paused;
        killed = step.action === 'kill' ? true : step.action === 'restart' ? false : killed;
        cut = step.action === 'partition' ? true : step.action === 'heal' ? false : cut;
      }
    }
  });

  test('only the asked-for faults appear', () => {
    const actions = new Set(planFaults({ ...base, faults: ['pause'] }).map((step) => step.action));
    expect([...actions].sort()).toEqual(['pause', 'resume']);
  });

  test('a single node gets no fault that needs a replica', () => {
    const actions = new Set(planFaults({ ...base, nodes: 1 }).map((step) => step.action));
    expect([...actions].every((action) => ['pause', 'resume', 'kill', 'restart'].includes(action))).toBe(true);
  });

  test('a split brain pauses the primary, fails over leaving clients on it, resumes and demotes', () => {
    const plan = planFaults({ ...base, faults: ['split-brain'] });
    expect(plan.slice(0, 4).map((step) => step.action)).toEqual(['pause', 'failover', 'resume', 'demote']);
    expect(plan[1]).toMatchObject({ staleClients: 3 });
  });

  test('the printed plan says what happens when', () => {
    const lines = describeFaultPlan([
      { atMs: 1200, action: 'pause', target: { role: 'primary' } },
      { atMs: 2000, action: 'partition', a: { role: 'primary' }, b: { role: 'replicas' } },
    ]);
    expect(lines).toEqual(['+1.200s pause the primary', '+2.000s partition the primary from every replica']);
  });

  test("the plan as it ran gives each step's real time, how late it was, why it failed, or that it never ran", () => {
    const plan = [
      { atMs: 1960, action: 'failover' },
      { atMs: 3000, action: 'pause', target: { role: 'primary' } },
      { atMs: 4000, action: 'resume' },
      { atMs: 5000, action: 'heal' },
    ] as const;
    const lines = describePerformedPlan(plan, [
      { step: plan[0], atMs: 2630 },
      { step: plan[1], atMs: 3000.4 },
      { step: plan[2], atMs: 4001, error: 'SIGCONT failed' },
    ]);
    expect(lines).toEqual([
      '+1.960s fail over: at +2.630s (0.670 s late)',
      '+3.000s pause the primary: at +3.000s',
      '+4.000s resume paused nodes: failed at +4.001s (0.001 s late): SIGCONT failed',
      '+5.000s heal partitions: not carried out (the run ended first)',
    ]);
  });
});
