import { describe, expect, it } from 'vitest';
import type { Action, ExpectedAnomaly, Preset } from '../models/index.ts';
import { presets } from '../models/index.ts';
import { Scenario } from '../models/leader-follower/scenario.test-kit.ts';
import { observe } from './observation.ts';
import { PROPERTIES } from './properties.ts';
import { judge } from './property.ts';

// The classic bugs of real Raft and primary/backup implementations, each a preset one or two switches
// away from a correct design, each shown by a hand-written schedule: the flawed design fails it with
// the anomaly it is known for, as the campaign judges a run, and the correct design it differs from
// holds every property through the very same schedule.

/** The properties' verdicts on one schedule, by property: 'held', or the names of what was violated. */
function verdicts(preset: Preset, schedule: readonly Action[]): Record<string, string> {
  const observation = observe(preset, schedule);
  return Object.fromEntries(
    PROPERTIES.map((property) => {
      const verdict = judge(property, observation);
      return [property.name, verdict.status === 'violated' ? verdict.names.join('+') : verdict.status];
    }),
  );
}

const EVERY_PROPERTY_HELD = Object.fromEntries(PROPERTIES.map((p) => [p.name, 'held']));

/** The flawed preset is caught as `kind` by that property; the correct one holds every property. */
function showsBug(flawed: Preset, correct: Preset, schedule: readonly Action[], kind: ExpectedAnomaly, property: string): void {
  const flawedVerdicts = verdicts(flawed, schedule);
  expect(flawedVerdicts[property]?.split('+')).toContain(kind);
  expect(verdicts(correct, schedule)).toEqual(EVERY_PROPERTY_HELD);
}

describe("figure-8: a re-elected leader commits its old epoch's entry by counting copies", () => {
  const story = (preset: Preset) =>
    new Scenario(preset)
      // n1 takes a write; its appends are lost. It is cut off, and n2 is elected by n3 (epoch 2); n2's
      // first entry, its no-op, reaches no one before n2 is cut off in turn.
      .write(0, 0)
      .dropAll({ kind: 'append' })
      .do({ kind: 'partition', groups: [1, 0, 0] })
      .tick(1, 4)
      .deliver({ kind: 'vote', to: 'n3' })
      .deliver({ kind: 'vote-reply' })
      .dropAll({ kind: 'append', from: 'n2' })
      .do({ kind: 'partition', groups: [0, 1, 0] })
      // n1 learns of epoch 2 from n3, stands and wins epoch 3, and sends n3 its write alone (one entry per
      // append): held by n1 and n3, a majority. Then n1 crashes, its next append lost.
      .tick(0)
      .deliver({ kind: 'append', to: 'n3' })
      .deliver({ kind: 'append-reply', to: 'n1' })
      .tick(0, 4)
      .deliver({ kind: 'vote', to: 'n3' })
      .deliver({ kind: 'vote-reply', to: 'n1' })
      .deliver({ kind: 'append', to: 'n3' })
      .deliver({ kind: 'append-reply', to: 'n1' })
      .deliver({ kind: 'append', to: 'n3' })
      .deliver({ kind: 'append-reply', to: 'n1' })
      .do({ kind: 'crash', node: 0 })
      .dropAll({ from: 'n1' })
      // n2 returns; its epoch-2 entry outranks n3's epoch-1 write, so n3 elects it, and it overwrites the write.
      .do({ kind: 'heal' })
      .tick(1, 4)
      .drain()
      .tick(1, 4)
      .drain();

  it('the write is acknowledged by the epoch-3 leader, then overwritten: a lost write', () => {
    const s = story(presets['figure-8']!);
    expect(s.events.filter((e) => e.type === 'ok' && e.f === 'write')).toMatchObject([{ node: 'n1', epoch: 3 }]);
    showsBug(presets['figure-8']!, presets.safe!, s.schedule, 'lost-write', 'no-lost-write');
  });
});

describe('forgotten-votes: a voter that restarts votes twice in one epoch', () => {
  const story = (preset: Preset) =>
    new Scenario(preset)
      // n2 and n3 both stand in epoch 2; n1 votes for n2, restarts, and is asked again by n3.
      .tick(1, 4)
      .tick(2, 5)
      .deliver({ kind: 'vote', from: 'n2', to: 'n1' })
      .deliver({ kind: 'vote-reply', to: 'n2' })
      .do({ kind: 'crash', node: 0 }, { kind: 'restart', node: 0 })
      .deliver({ kind: 'vote', from: 'n3', to: 'n1' })
      .deliver({ kind: 'vote-reply', from: 'n1', to: 'n3' })
      .dropAll({ kind: 'vote' })
      .dropAll({ kind: 'vote-reply' })
      // Each leader's no-op and a write reach n1 only, which acknowledges both.
      .write(0, 0, 1)
      .write(1, 0, 2)
      .dropAll({ kind: 'append', to: 'n2' })
      .dropAll({ kind: 'append', to: 'n3' })
      .drain();

  it('two leaders of epoch 2 both acknowledge a write: dual leader', () => {
    const s = story(presets['forgotten-votes']!);
    expect(s.events.filter((e) => e.type === 'ok' && e.f === 'write')).toMatchObject([
      { node: 'n2', epoch: 2 },
      { node: 'n3', epoch: 2 },
    ]);
    showsBug(presets['forgotten-votes']!, presets.safe!, s.schedule, 'dual-leader', 'single-leader');
  });
});

/** n1's clock runs slow and the others' fast: a lease's worst case. */
const skewed: Action[] = [
  { kind: 'clock', node: 0, rate: -1 },
  { kind: 'clock', node: 1, rate: 1 },
  { kind: 'clock', node: 2, rate: 1 },
];

/** n1 is cut off; n2 waits out its promise and is elected, takes a write, and a client reads at n1. */
const deposeAndRead = (s: Scenario) =>
  s
    .do({ kind: 'partition', groups: [1, 0, 0] })
    .elect(1, 80)
    .write(0, 0, 1)
    .drain()
    .read(1, 0, 0);

/** The deposed n1 answered the read with the value the new leader's write had replaced: a stale read, which the correct design does not give. */
function staleReadAtDeposedLeader(story: Scenario, correct: Preset): void {
  expect(story.events.filter((e) => e.type === 'ok' && e.process === 1)).toMatchObject([{ f: 'read', node: 'n1', value: null }]);
  showsBug(story.policy as Preset, correct, story.schedule, 'stale-read', 'no-stale-read');
}

describe("long-lease: the leader trusts its lease as long as the followers' promise, on a slow clock", () => {
  const story = (preset: Preset) =>
    deposeAndRead(
      new Scenario(preset)
        .do(...skewed)
        .tick(0)
        .drain(),
    );

  it("the deposed leader answers from its lease after the new leader's write: a stale read", () => {
    staleReadAtDeposedLeader(story(presets['long-lease']!), presets['lease-reads']!);
  });
});

describe('lease-from-reply: the leader counts its lease from when the acknowledgement arrived', () => {
  const story = (preset: Preset) =>
    deposeAndRead(
      new Scenario(preset)
        .do(...skewed)
        .tick(0)
        .deliver({ kind: 'append', to: 'n2' })
        .deliver({ kind: 'append', to: 'n3' })
        // The replies take their time: n2's clock runs on (its promise keeps it from standing).
        .tick(1, 20)
        .drain(),
    );

  it("the deposed leader answers from its lease after the new leader's write: a stale read", () => {
    staleReadAtDeposedLeader(story(presets['lease-from-reply']!), presets['lease-reads']!);
  });
});

describe("last-tick-lease: the leader checks its lease against its last tick's clock reading", () => {
  // n1's heartbeat round is acknowledged, then n1 is not scheduled again: deposeAndRead never ticks it.
  const story = (preset: Preset) => deposeAndRead(new Scenario(preset).tick(0).drain());

  it("the deposed leader, its clock read long before the read arrived, answers after the new leader's write: a stale read", () => {
    staleReadAtDeposedLeader(story(presets['last-tick-lease']!), presets['lease-reads']!);
  });
});

describe('unconfirmed-reads: read-index without the heartbeat round', () => {
  it("the deposed leader answers after the new leader's write: a stale read", () => {
    staleReadAtDeposedLeader(deposeAndRead(new Scenario(presets['unconfirmed-reads']!)), presets.safe!);
  });
});

describe('stale-append: a late, shorter append erases entries the follower acknowledged', () => {
  const story = (preset: Preset) =>
    new Scenario(preset)
      // A first write, acknowledged with n2 (n3 hears nothing of any of this).
      .write(0, 0)
      .dropAll({ to: 'n3' })
      .deliver({ kind: 'append', to: 'n2' })
      .deliver({ kind: 'append-reply', to: 'n1' })
      // A heartbeat, then a second write, pipelined behind it to n2.
      .tick(0)
      .write(1, 0)
      .dropAll({ to: 'n3' })
      .deliver({ kind: 'append', to: 'n2', after: 2, entries: 1 })
      // The heartbeat, overtaken, arrives last and cuts n2's log back to the first write.
      .deliver({ kind: 'append', to: 'n2', after: 2, entries: 0 })
      .deliver({ kind: 'append-reply', to: 'n1' })
      .deliver({ kind: 'append-reply', to: 'n1' })
      .do({ kind: 'crash', node: 0 })
      .dropAll({ from: 'n1' })
      .elect(1);

  it('n1 acknowledges the second write on the strength of n2, which no longer holds it; n2 is elected without it: a lost write', () => {
    const s = story(presets['stale-append']!);
    expect(s.events.filter((e) => e.type === 'ok' && e.f === 'write')).toHaveLength(2);
    expect(s.nodes[1]).toMatchObject({ role: 'leader' });
    showsBug(presets['stale-append']!, presets.safe!, s.schedule, 'lost-write', 'no-lost-write');
  });
});
