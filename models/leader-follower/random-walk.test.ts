import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../history/event.ts';
import type { Value } from '../../history/value.ts';
import { valueKey } from '../../history/value.ts';
import { runSystem } from '../world/run-system.ts';
import type { Log } from './log.ts';
import type { Preset } from './presets.ts';
import { presets } from './presets.ts';
import type { LeaderFollowerNode } from './system.ts';
import { leaderFollower } from './system.ts';
import { scheduleArbitrary } from './walk.test-kit.ts';

// The correct designs under a few hundred seeded random walks: every invariant after every step, and
// after the finale a settled cluster whose final reads reached every key. The invariants cannot see
// reads, so an oracle also judges the history against the model's own truth, the final committed log:
// every acknowledged mutation is in it, and every read reflects a committed state no older than the
// last mutation acknowledged before the read began. (The real checker is history/'s; properties/ runs it.)

interface Judgement {
  readonly lost: Event[];
  readonly stale: Event[];
  readonly uncommitted: Event[];
}

/** Where in the log each key took each value: a read of that value saw the state after that index. */
function positions(log: Log): Map<string, number> {
  const at = new Map<string, number>();
  for (const entry of log) {
    const c = entry.command;
    if (c.kind !== 'client') continue;
    const written = c.f === 'cas' ? (c.value as readonly Value[])[1] : c.value;
    at.set(`${c.key} ${valueKey(written)}`, entry.index);
  }
  return at;
}

function judge(events: readonly Event[], log: Log): Judgement {
  const at = positions(log);
  const positionOfRead = (key: unknown, value: Value): number | undefined => {
    const last = Array.isArray(value) ? value.at(-1) : value;
    return last === null || last === undefined ? 0 : at.get(`${key} ${valueKey(last)}`);
  };
  const lost: Event[] = [];
  const stale: Event[] = [];
  const uncommitted: Event[] = [];
  const acked = new Map<unknown, number>(); // key -> newest log position acknowledged so far
  const floorAtInvoke = new Map<number, number>();
  for (const e of events) {
    if (typeof e.process !== 'number') continue;
    if (e.type === 'invoke') floorAtInvoke.set(e.process, acked.get(e.key) ?? 0);
    if (e.type !== 'ok') continue;
    if (e.f === 'read') {
      const seen = positionOfRead(e.key, e.value);
      if (seen === undefined) uncommitted.push(e);
      else if (seen < floorAtInvoke.get(e.process)!) stale.push(e);
      continue;
    }
    const written = e.f === 'cas' ? (e.value as readonly Value[])[1] : e.value;
    const position = at.get(`${e.key} ${valueKey(written)}`);
    if (position === undefined) lost.push(e);
    else acked.set(e.key, Math.max(acked.get(e.key) ?? 0, position));
  }
  return { lost, stale, uncommitted };
}

const leaderOf = (nodes: readonly { readonly state: unknown }[]) =>
  nodes.map((n) => n.state as LeaderFollowerNode).find((n) => n.role === 'leader');

function walk(preset: Preset, runs: number, seed: number): void {
  const system = leaderFollower(preset);
  fc.assert(
    fc.property(scheduleArbitrary(150), (schedule) => {
      const result = runSystem(system, schedule, { finale: true, invariants: 'every-step', trace: false });
      expect(result.violations).toEqual([]);
      expect(result.settled).toBe(true);
      const finalReads = result.events.filter((e) => e.type === 'ok' && e.f === 'read' && e.time! > schedule.length);
      expect(new Set(finalReads.map((e) => e.key)).size).toBe(preset.keys);
      const leader = leaderOf(result.nodes)!;
      expect(judge(result.events, leader.log)).toEqual({ lost: [], stale: [], uncommitted: [] });
    }),
    { seed, numRuns: runs },
  );
}

describe('correct designs hold over seeded random walks of up to 150 actions', () => {
  it('safe: 300 walks', () => walk(presets.safe, 300, 20240601));
  it('safe on five nodes: 100 walks', () => walk({ ...presets.safe, nodes: 5 }, 100, 11));
  it('lease-reads: 150 walks', () => walk(presets['lease-reads'], 150, 12));
});

describe('the oracle is not blind', () => {
  const caught = (preset: Preset, runs: number) => {
    const found = { lost: 0, stale: 0 };
    const system = leaderFollower(preset);
    fc.assert(
      fc.property(scheduleArbitrary(150), (schedule) => {
        const result = runSystem(system, schedule, { finale: true, invariants: 'off', trace: false });
        const leader = leaderOf(result.nodes);
        if (!leader) return;
        const verdict = judge(result.events, leader.log);
        found.lost += verdict.lost.length;
        found.stale += verdict.stale.length;
      }),
      { seed: 5, numRuns: runs },
    );
    return found;
  };

  it('sees the lost writes of async-failover and the stale reads of follower-reads and stale-leader-reads', () => {
    expect(caught(presets['async-failover'], 150).lost).toBeGreaterThan(0);
    expect(caught(presets['follower-reads'], 150).stale).toBeGreaterThan(0);
    expect(caught(presets['stale-leader-reads'], 150).stale).toBeGreaterThan(0);
  });
});
