import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event } from '../history/event.ts';
import { settled } from './finale.ts';
import { presets } from './presets.ts';
import { runSchedule } from './run.ts';
import { scheduleArbitrary } from './walk.test-kit.ts';

// The correct designs under a few hundred seeded random walks: every invariant after every step, and
// after the finale a settled cluster whose final reads reached every key. (The property suites with
// the checker are properties/'s; this is the model's own sanity.)

function finalReadKeys(events: readonly Event[], after: number): Set<unknown> {
  return new Set(events.filter((e) => e.type === 'ok' && e.f === 'read' && e.time! > after).map((e) => e.key));
}

describe.each([
  [presets.safe, 300],
  [presets['lease-reads'], 100],
  [{ ...presets.safe, nodes: 5, name: 'safe, five nodes' }, 100],
])('$name holds its invariants over random walks', (preset, runs) => {
  it(`${runs} walks of up to 150 actions`, () => {
    fc.assert(
      fc.property(scheduleArbitrary(150), (schedule) => {
        const result = runSchedule(preset, schedule, { finale: true, invariants: 'every-step', trace: false });
        expect(result.violations).toEqual([]);
        expect(settled(result.state)).toBe(true);
        expect(finalReadKeys(result.events, schedule.length).size).toBe(preset.keys);
      }),
      { seed: 20240601, numRuns: runs },
    );
  });
});
