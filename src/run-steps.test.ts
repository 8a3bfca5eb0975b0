import { describe, expect, it } from 'vitest';
import type { Action } from '../models/index.ts';
import { leaderFollower, presets, runSystem } from '../models/index.ts';
import { runSteps } from './run-steps.ts';

function timeline(schedule: Action[], finale = false): string[] {
  const run = runSystem(leaderFollower(presets.safe), schedule, { finale });
  return runSteps({ trace: run.trace, events: run.events, scheduled: schedule.length });
}

describe('the run steps', () => {
  it('spells out each step: the message a choice picked, the sides of a partition, a no-op and why', () => {
    expect(
      timeline([
        { kind: 'invoke', client: 1, f: 'write', key: 0 },
        { kind: 'deliver', pick: 1 },
        { kind: 'drop', pick: 0 },
        { kind: 'cut', from: 2, to: 0 },
        { kind: 'partition', groups: [0, 1, 1] },
        { kind: 'restart', node: 2 },
        { kind: 'heal' },
      ]),
    ).toEqual([
      '  1  p1 write key 0                        p1 invokes write key 0 1 at n1',
      '  2  deliver append n1→n3 e1 (1 entry after 1)',
      '  3  drop append n1→n2 e1 (1 entry after 1)',
      '  4  cut n3→n1',
      '  5  partition {n1} | {n2 n3}',
      '  6  restart n3 (no-op: n3 is already up)',
      // Whatever is still pending when the run stops ends as info, at the last step.
      '  7  heal                                  p1 info write (pending at end)',
    ]);
  });

  it('folds the quiet part of the finale and keeps what clients saw', () => {
    const lines = timeline([{ kind: 'invoke', client: 0, f: 'write', key: 1 }], true);
    expect(lines[1]).toBe('  --  finale: heal, restart, settle, read every key');
    expect(lines.some((line) => /^ {6}… \d+ quiet steps \(ticks, deliveries\)$/.test(line))).toBe(true);
    expect(lines.some((line) => line.includes('p0 ok write at n1 e1'))).toBe(true);
    expect(lines.filter((line) => line.includes('p0 ok read ->') || line.includes('p1 ok read ->'))).toHaveLength(2);
  });
});
