import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Action } from '../world/action.ts';
import { choose } from '../world/action.ts';
import { presetList, presets } from './presets.ts';
import { runSchedule } from './run.ts';
import { Scenario } from './scenario.ts';
import type { State } from './state.ts';
import { initialState } from './state.ts';
import { step } from './step.ts';
import { scheduleArbitrary } from './walk.test-kit.ts';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

describe('step is pure', () => {
  it('never modifies its input state (deep-frozen), on every preset and any schedule', () => {
    fc.assert(
      fc.property(fc.constantFrom(...presetList), scheduleArbitrary(80), (preset, schedule) => {
        let state: State = initialState(preset);
        for (const action of schedule) {
          const before = structuredClone(state);
          const result = step(deepFreeze(state), action);
          expect(state).toEqual(before);
          state = result.state;
        }
      }),
      { seed: 7, numRuns: 60 },
    );
  });

  it('shares every part a fault did not touch, and leaves its result unfrozen', () => {
    const start = initialState(presets['unsynced-restart']);
    const cut = step(start, { kind: 'cut', from: 0, to: 1 }).state;
    expect(cut.network.cuts).toEqual([2, 0, 0]);
    expect(cut.nodes).toBe(start.nodes);
    expect(cut.clients).toBe(start.clients);
    expect(cut.network.inFlight).toBe(start.network.inFlight);
    const written = new Scenario(presets['unsynced-restart']).write(0, 0).state;
    const crashed = step(written, { kind: 'crash', node: 0 }).state;
    expect(crashed.nodes[0].log).toEqual(written.nodes[0].log.slice(0, 1));
    expect(crashed.nodes[1]).toBe(written.nodes[1]);
    expect(crashed.network).toBe(written.network);
    // Immer's autoFreeze would freeze the whole state, logs included, and Node 20 slices frozen arrays slowly.
    const parts = [cut, cut.network.cuts, crashed, crashed.nodes, crashed.nodes[0], crashed.nodes[0].log, crashed.nodes[1].log];
    expect(parts.filter((part) => Object.isFrozen(part))).toEqual([]);
  });

  it('is deterministic: the same schedule gives the same bytes', () => {
    const schedule = fc.sample(scheduleArbitrary(150), { seed: 3, numRuns: 1 })[0];
    for (const preset of presetList) {
      const a = runSchedule(preset, schedule, { finale: true });
      const b = runSchedule(preset, JSON.parse(JSON.stringify(schedule)), { finale: true });
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    }
  });
});

describe('actions are choices among what exists', () => {
  it('reduces any number modulo the count', () => {
    expect([choose(4, 3), choose(-1, 3), choose(2.7, 3), choose(Number.NaN, 3), choose(undefined, 3), choose(1e300, 3)]).toEqual([1, 2, 2, 0, 0, 1e300 % 3]);
  });

  it('node 4 of 3 is n2, message 7 of 2 in flight is the second', () => {
    const crashed = step(initialState(presets.safe), { kind: 'crash', node: 4 });
    expect(crashed.state.nodes.map((n) => n.up)).toEqual([true, false, true]);
    const sent = step(initialState(presets.safe), { kind: 'invoke', client: 0, f: 'write', key: 0 }).state;
    expect(sent.network.inFlight.map((m) => m.to)).toEqual([1, 2]);
    expect(step(sent, { kind: 'drop', pick: 7 }).dropped.map((m) => m.to)).toEqual([2]);
  });

  const noops: [string, Action, string][] = [
    ['deliver with nothing in flight', { kind: 'deliver', pick: 3 }, 'no message in flight'],
    ['drop with nothing in flight', { kind: 'drop', pick: 0 }, 'no message in flight'],
    ['restart of an up node', { kind: 'restart', node: 1 }, 'n2 is already up'],
    ['heal of a whole network', { kind: 'heal' }, 'nothing to heal'],
    ['a node cut from itself', { kind: 'cut', from: 1, to: 4 }, 'a node cannot be cut from itself'],
    ['a timeout with nothing pending', { kind: 'timeout', client: 2 }, 'client 2 waits for nothing'],
    ['promoting the leader', { kind: 'promote', node: 0 }, 'n1 already leads'],
    ['demoting a follower', { kind: 'demote', node: 2 }, 'n3 does not lead'],
    ['an unknown kind', { kind: 'explode' } as unknown as Action, 'no action explode'],
    ['an unknown operation', { kind: 'invoke', client: 0, f: 'delete', key: 0 } as unknown as Action, 'no operation delete'],
  ];
  it.each(noops)('%s is a recorded no-op', (_, action, reason) => {
    const start = initialState(presets.safe);
    const result = step(start, action);
    expect(result.noop).toBe(reason);
    expect(result.events).toEqual([]);
    expect(result.state).toEqual({ ...start, time: 1 });
  });

  it('a busy client ignores a second invocation', () => {
    const s = new Scenario(presets.safe).write(0, 0);
    const result = step(s.state, { kind: 'invoke', client: 0, f: 'read', key: 1 });
    expect(result.noop).toBe('client 0 is busy');
    expect(result.state.clients).toBe(s.state.clients);
  });
});

describe('history events', () => {
  it('annotates every change of role, epoch or liveness', () => {
    const s = new Scenario(presets.safe).do({ kind: 'crash', node: 0 }).elect(1);
    const roles = s.events.filter((e) => e.f === 'role').map((e) => `${e.node}:${e.value}@${e.epoch}`);
    expect(roles).toEqual([
      'n1:leader@1',
      'n2:follower@1',
      'n3:follower@1',
      'n1:down@1',
      'n2:candidate@2',
      'n3:follower@2',
      'n2:leader@2',
    ]);
    expect(s.events.every((e) => e.process !== 'cluster' || (e.type === 'info' && typeof e.time === 'number'))).toBe(true);
  });

  it('numbers written values once per run, across clients and keys', () => {
    const s = new Scenario(presets['async-failover']);
    for (let i = 0; i < 6; i++) s.do({ kind: 'invoke', client: i % 3, f: (['write', 'append', 'cas'] as const)[i % 3], key: i });
    const written = s.events.filter((e) => e.type === 'invoke').map((e) => (Array.isArray(e.value) ? e.value[1] : e.value));
    expect(written).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
