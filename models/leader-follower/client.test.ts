import { describe, expect, it } from 'vitest';
import { presets } from './presets.ts';
import { Scenario } from './scenario.ts';

const { safe } = presets;
const completions = (s: Scenario, client: number) => s.events.filter((e) => e.process === client && e.type !== 'invoke');

describe('clients', () => {
  it('send to the leader they know; a quorum write stays pending until a majority has it', () => {
    const s = new Scenario(safe).write(0, 0);
    expect(s.events.at(-1)).toMatchObject({ type: 'invoke', process: 0, f: 'write', key: 0, value: 1, node: 'n1', time: 1 });
    expect(s.state.clients[0].pending).toMatchObject({ f: 'write', node: 0 });
    s.do({ kind: 'deliver', pick: 0 }).do({ kind: 'deliver', pick: 1 });
    expect(s.state.clients[0].pending).toBeNull();
    expect(s.events.at(-1)).toMatchObject({ type: 'ok', process: 0, f: 'write', value: 1, node: 'n1', epoch: 1, time: 3 });
  });

  it('are refused by a follower, which names the leader for next time', () => {
    const s = new Scenario(safe).elect(1).write(2, 0, 0);
    expect(completions(s, 2).at(-1)).toMatchObject({ type: 'fail', node: 'n1', error: 'not leader' });
    expect(s.state.clients[2].target).toBe(1);
    s.write(2, 0).drain();
    expect(completions(s, 2).at(-1)).toMatchObject({ type: 'ok', node: 'n2', epoch: 2 });
  });

  it('fail at once against a down node and try the next one', () => {
    const s = new Scenario(safe).do({ kind: 'crash', node: 0 }).read(1, 0);
    expect(completions(s, 1)).toMatchObject([{ type: 'fail', f: 'read', error: 'unavailable', node: 'n1' }]);
    expect(s.state.clients[1].target).toBe(1);
  });

  it('give up on timeout: a write is indeterminate, a read certainly did nothing', () => {
    const s = new Scenario(safe).do({ kind: 'partition', groups: [0, 1, 1] }).write(0, 0).read(1, 0);
    s.do({ kind: 'timeout', client: 0 }, { kind: 'timeout', client: 1 });
    expect(completions(s, 0)).toMatchObject([{ type: 'info', f: 'write', value: 1, error: 'timeout' }]);
    expect(completions(s, 1)).toMatchObject([{ type: 'fail', f: 'read', error: 'timeout' }]);
    expect(s.state.clients.map((c) => [c.pending, c.target])).toEqual([
      [null, 1],
      [null, 1],
      [null, 0],
    ]);
  });

  it('ignore an answer that comes after they gave up', () => {
    const s = new Scenario(safe).write(0, 0).do({ kind: 'timeout', client: 0 }).drain();
    expect(completions(s, 0).map((e) => e.type)).toEqual(['info']);
    expect(s.state.nodes[0].store[0]).toBe(1);
  });

  it('cas expects one of the newest values written to the key, and fails when it is not current', () => {
    const s = new Scenario(safe).write(0, 0).drain().write(0, 0).drain();
    s.do({ kind: 'invoke', client: 0, f: 'cas', key: 0, pick: 1 }).drain();
    expect(completions(s, 0).at(-1)).toMatchObject({ type: 'fail', f: 'cas', value: [1, 3], error: 'cas mismatch' });
    // The newest values invoked on key 0 are now 3, 2, 1; pick 4 is 4 mod 3 = the second: 2, which is current.
    s.do({ kind: 'invoke', client: 0, f: 'cas', key: 0, pick: 4 }).drain();
    expect(completions(s, 0).at(-1)).toMatchObject({ type: 'ok', f: 'cas', value: [2, 4] });
    s.do({ kind: 'invoke', client: 1, f: 'cas', key: 1 }).drain();
    expect(completions(s, 1).at(-1)).toMatchObject({ type: 'ok', f: 'cas', value: [null, 5] });
    expect(s.state.nodes[0].store).toEqual([4, 5]);
  });

  it('append returns the element; a read returns the whole list', () => {
    const s = new Scenario(safe);
    for (let i = 0; i < 3; i++) s.do({ kind: 'invoke', client: 0, f: 'append', key: 1 }).drain();
    s.read(1, 1).drain();
    expect(completions(s, 0).map((e) => e.value)).toEqual([1, 2, 3]);
    expect(completions(s, 1).at(-1)).toMatchObject({ type: 'ok', value: [1, 2, 3] });
  });
});
