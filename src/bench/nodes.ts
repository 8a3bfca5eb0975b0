import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { asyncLeaderInProcess } from '../../examples/maelstrom/in-process.ts';
import type { AnySystem, Schedule } from '../../models/index.ts';
import { runSystem } from '../../models/index.ts';
import { subjectScheduleArbitrary, systemSubject } from '../../properties/index.ts';
import type { NodeClock } from '../process/process-system.ts';
import { processSystem } from '../process/process-system.ts';
import type { Scenario, Section } from './scenario.ts';
import { scenario } from './scenario.ts';

// Node binaries (Maelstrom protocol) against the same design in process: the JavaScript example node
// run through its pipes on the ticks clock, the Python one, the very same JavaScript code in process,
// and the JavaScript node on the wall clock. Each run is a campaign schedule with its finale; steps
// per second count the world's steps (the finale's included), runs per minute whole runs, process
// start-ups included.

const SCHEDULES = 8;
const example = (file: string) => fileURLToPath(new URL(`../../examples/maelstrom/${file}`, import.meta.url));

function schedules(): Schedule[] {
  return fc.sample(subjectScheduleArbitrary(systemSubject(asyncLeaderInProcess)), { numRuns: SCHEDULES, seed: 1 });
}

function measure(system: AnySystem, runs: readonly Schedule[], booting: () => number = () => 0): Record<string, number> {
  const started = performance.now();
  const booted = booting();
  let steps = 0;
  for (const schedule of runs) steps += runSystem(system, schedule, { finale: true }).trace.length;
  const seconds = (performance.now() - started) / 1000;
  const bootSeconds = (booting() - booted) / 1000;
  return {
    'steps/s': Math.round(steps / seconds),
    'steps/s without boots': Math.round(steps / (seconds - bootSeconds)),
    'runs/min': Math.round((60 * runs.length) / seconds),
    'steps/run': Math.round(steps / runs.length),
    'boot ms/run': Math.round((1000 * bootSeconds) / runs.length),
  };
}

function processScenario(name: string, command: string[], clock: NodeClock, count: number, timedRuns: number): Scenario<Schedule[]> {
  return scenario({
    name,
    runs: timedRuns,
    setup: () => schedules().slice(0, count),
    run: (runs) => {
      const system = processSystem({ command, nodes: 3, clock, tickMillis: 20, workDir: mkdtempSync(join(tmpdir(), 'leaderlog-bench-')) });
      try {
        return measure(system, runs, () => system.boots().millis);
      } finally {
        system.close();
      }
    },
  });
}

export const section: Section = {
  title: 'Node binaries: Maelstrom-protocol processes against the same design in process',
  scenarios: [
    scenario({ name: 'in-process/async-leader.mjs', setup: schedules, run: (runs) => measure(asyncLeaderInProcess, runs) }),
    processScenario('ticks/node async-leader.mjs', ['node', example('async-leader.mjs')], 'ticks', SCHEDULES, 3),
    processScenario(
      'ticks/python3 async_leader.py',
      [existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3', example('async_leader.py')],
      'ticks',
      SCHEDULES,
      3,
    ),
    processScenario('wall/node async-leader.mjs --wall', ['node', example('async-leader.mjs'), '--wall'], 'wall', 3, 1),
  ],
};
