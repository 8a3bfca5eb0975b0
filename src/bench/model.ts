import type { Action, LeaderFollowerNode, Preset, Schedule } from '../../models/index.ts';
import { leaderFollower, presetList, presets, runSystem } from '../../models/index.ts';
import type { Scenario, Section } from './scenario.ts';
import { scenario } from './scenario.ts';

// How fast the model steps, on the world runner every system runs on: per preset, seeded schedules of a busy cluster (mostly client operations
// and deliveries, some ticks and faults) that grow every log to a few hundred entries, stepped bare;
// then whole runs as the property suites make them (finale, trace, invariants after every step).
// Rates are per CPU second of this process as well as per wall second: on a shared machine the wall
// clock also counts the time other processes held the CPU.

const SCHEDULES = 12;
const STEPS = 2500;

/** A deterministic PRNG (mulberry32): same seed, same schedule. */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** Starts a stopwatch; calling it gives wall and CPU seconds since. */
function startClock(): () => { wall: number; cpu: number } {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { wall: (performance.now() - wall) / 1000, cpu: (used.user + used.system) / 1e6 };
  };
}

function busySchedule(seed: number, length: number): Schedule {
  const pick = random(seed);
  const fs = ['write', 'write', 'append', 'cas', 'read'] as const;
  const actions: Action[] = [];
  for (let i = 0; i < length; i++) {
    const roll = pick(1000);
    if (roll < 300) actions.push({ kind: 'invoke', client: pick(5), f: fs[pick(fs.length)], key: pick(3), pick: pick(3) });
    else if (roll < 820) actions.push({ kind: 'deliver', pick: pick(8) });
    else if (roll < 930) actions.push({ kind: 'tick', node: pick(5) });
    else if (roll < 950) actions.push({ kind: 'timeout', client: pick(5) });
    else if (roll < 965) actions.push({ kind: 'drop', pick: pick(8) });
    else if (roll < 972) actions.push({ kind: 'duplicate', pick: pick(8) });
    else if (roll < 978) actions.push({ kind: 'crash', node: pick(5) });
    else if (roll < 990) actions.push({ kind: 'restart', node: pick(5) });
    else if (roll < 995) actions.push({ kind: 'partition', groups: [pick(2), pick(2), pick(2), pick(2), pick(2)] });
    else actions.push({ kind: 'heal' });
  }
  return actions;
}

function steps(policy: Preset): Scenario<Schedule[]> {
  return scenario({
    name: `step/${policy.name}`,
    setup: () => Array.from({ length: SCHEDULES }, (_, seed) => busySchedule(seed + 1, STEPS)),
    run: (schedules) => {
      const system = leaderFollower(policy);
      const clock = startClock();
      let taken = 0;
      let longest = 0;
      let total = 0;
      for (const schedule of schedules) {
        const run = runSystem(system, schedule, { trace: false, invariants: 'off' });
        taken += schedule.length;
        const lengths = run.nodes.map((n) => (n.state as LeaderFollowerNode).log.length);
        longest = Math.max(longest, ...lengths);
        total += lengths.reduce((a, b) => a + b, 0) / lengths.length;
      }
      const { wall, cpu } = clock();
      return {
        'steps/s': Math.round(taken / wall),
        'steps/cpu-s': Math.round(taken / cpu),
        'mean log': Math.round(total / schedules.length),
        'longest log': longest,
      };
    },
  });
}

function runs(policy: Preset): Scenario<Schedule[]> {
  return scenario({
    name: `run/${policy.name}`,
    setup: () => Array.from({ length: 100 }, (_, seed) => busySchedule(1000 + seed, 100)),
    run: (schedules) => {
      const system = leaderFollower(policy);
      const clock = startClock();
      let taken = 0;
      for (const schedule of schedules) {
        const result = runSystem(system, schedule, { finale: true, invariants: 'every-step' });
        taken += result.trace.length;
      }
      const { wall, cpu } = clock();
      return {
        'runs/s': Math.round(schedules.length / wall),
        'runs/cpu-s': Math.round(schedules.length / cpu),
        'steps/cpu-s': Math.round(taken / cpu),
        'steps/run': Math.round(taken / schedules.length),
      };
    },
  });
}

/** `invokes` writes, each ticked out by the leader and delivered (with the resends in flight beside it): the log grows to `invokes` entries. */
function longSchedule(invokes: number): Schedule {
  const actions: Action[] = [{ kind: 'tick', node: 0 }];
  for (let i = 0; i < invokes; i++) {
    actions.push({ kind: 'invoke', client: i % 3, f: 'write', key: i % 3 }, { kind: 'tick', node: 0 });
    for (let d = 0; d < 12; d++) actions.push({ kind: 'deliver', pick: 0 });
  }
  return actions;
}

/** What `leaderlog replay` does with a long counterexample: finale, trace, invariants after every step. */
function longReplay(invokes: number): Scenario<Schedule> {
  return scenario({
    name: `replay/${invokes / 1000}k invokes`,
    runs: invokes > 50_000 ? 1 : 3,
    warmUp: invokes <= 10_000,
    setup: () => longSchedule(invokes),
    run: (schedule) => {
      const clock = startClock();
      const result = runSystem(leaderFollower(presets.safe), schedule, { finale: true, invariants: 'every-step' });
      const { wall, cpu } = clock();
      return {
        'cpu-s': Number(cpu.toFixed(2)),
        'wall-s': Number(wall.toFixed(2)),
        'µs/invoke (cpu)': Math.round((cpu / invokes) * 1e6),
        log: (result.nodes[0]!.state as LeaderFollowerNode).log.length,
      };
    },
  });
}

export const section: Section = {
  title: 'Model: steps per second per preset (busy 3-5 node clusters), whole runs with finale, trace and invariants, and long replays',
  scenarios: [...presetList.map(steps), ...presetList.map(runs), ...[10_000, 40_000, 200_000].map(longReplay)],
};
