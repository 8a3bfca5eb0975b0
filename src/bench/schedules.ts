import fc from 'fast-check';
import { asyncKv } from '../../examples/async-kv/system.ts';
import type { Schedule } from '../../models/index.ts';
import { choose, presets } from '../../models/index.ts';
import type { Subject } from '../../properties/index.ts';
import { presetSubject, subjectScheduleArbitrary, systemSubject } from '../../properties/index.ts';
import type { Scenario, Section } from './scenario.ts';
import { scenario } from './scenario.ts';

// What the campaign's schedules contain, as drawn for a design (seed 1, the campaign's own draws): how
// many leader changes, leader crashes and acknowledged writes happen before the finale. Deep states
// need several of each; a generator that rarely draws them cannot find the bugs that live there.

const RUNS = 2000;
const WRITES = new Set(['write', 'cas', 'append', 'add']);

interface Contents {
  readonly leaderChanges: number;
  readonly leaderCrashes: number;
  readonly ackedWrites: number;
}

/** Counts over the schedule's own steps (the finale's are left out: it always heals and settles). */
function contentsOf(subject: Subject, schedule: Schedule): Contents {
  const run = subject.run(schedule);
  const steps = run.trace.slice(0, schedule.length);
  const leaders = new Set<string>();
  let leaderChanges = -1;
  let leaderCrashes = 0;
  let before: (typeof steps)[number]['nodes'] | null = null;
  for (const step of steps) {
    if (step.action.kind === 'crash' && before !== null) {
      const target = before[choose(step.action.node, before.length)];
      if (target?.role === 'leader') leaderCrashes++;
    }
    for (const node of step.nodes) {
      const key = `${node.id}@${node.epoch}`;
      if (node.role === 'leader' && !leaders.has(key)) {
        leaders.add(key);
        leaderChanges++;
      }
    }
    before = step.nodes;
  }
  const end = steps.at(-1)?.time ?? -1;
  const ackedWrites = run.events.filter(
    (e) => e.type === 'ok' && typeof e.process === 'number' && WRITES.has(e.f) && (e.time ?? 0) <= end,
  ).length;
  return { leaderChanges: Math.max(0, leaderChanges), leaderCrashes, ackedWrites };
}

const percent = (count: number, of: number) => `${((100 * count) / of).toFixed(1)}%`;

function contents(name: string, subject: Subject, swarm: boolean): Scenario<null> {
  return scenario({
    name: `contents${swarm ? '' : '-plain'}/${name}`,
    runs: 1,
    warmUp: false,
    setup: () => null,
    run: () => {
      const drawn: Contents[] = [];
      let actions = 0;
      fc.check(
        fc.property(subjectScheduleArbitrary(subject, { swarm }), (schedule) => {
          actions += schedule.length;
          drawn.push(contentsOf(subject, schedule));
          return true;
        }),
        { seed: 1, numRuns: RUNS },
      );
      const share = (test: (c: Contents) => boolean) => percent(drawn.filter(test).length, drawn.length);
      const mean = (of: (c: Contents) => number) => Number((drawn.reduce((sum, c) => sum + of(c), 0) / drawn.length).toFixed(2));
      return {
        'leader changes: none': share((c) => c.leaderChanges === 0),
        one: share((c) => c.leaderChanges === 1),
        two: share((c) => c.leaderChanges === 2),
        'three+': share((c) => c.leaderChanges >= 3),
        mean: mean((c) => c.leaderChanges),
        'leader crashes: one+': share((c) => c.leaderCrashes >= 1),
        'two+': share((c) => c.leaderCrashes >= 2),
        'acked writes: none': share((c) => c.ackedWrites === 0),
        'one or two': share((c) => c.ackedWrites >= 1 && c.ackedWrites <= 2),
        'three+ acked': share((c) => c.ackedWrites >= 3),
        'mean acked': mean((c) => c.ackedWrites),
        'mean actions': Math.round(actions / drawn.length),
      };
    },
  });
}

export const section: Section = {
  title: `Schedule contents: over ${RUNS} schedules drawn as the campaign draws them (seed 1), the share with 0, 1, 2, 3+ leader changes, 1+ and 2+ leader crashes, and 0, 1-2, 3+ acknowledged writes (before the finale); by default (swarm profiles and deep units) and with --no-swarm (contents-plain)`,
  scenarios: [true, false].flatMap((swarm) => [
    contents('safe', presetSubject(presets.safe), swarm),
    contents('lease-reads', presetSubject(presets['lease-reads']), swarm),
    contents('system:async-kv', systemSubject(asyncKv), swarm),
  ]),
};
