import { describe, expect, it } from 'vitest';
import { presets } from './presets.ts';
import { Scenario } from './scenario.ts';

const { safe } = presets;

describe('the network', () => {
  it('a partition cuts both ways between groups and says who is where', () => {
    const s = new Scenario(safe).do({ kind: 'partition', groups: [0, 1, 1] });
    expect(s.state.network.cuts).toEqual([0b110, 0b001, 0b001]);
    expect(s.events.at(-1)).toMatchObject({ process: 'nemesis', f: 'partition', value: [['n1'], ['n2', 'n3']] });
  });

  it('a message over a cut link is lost when sent, and one already in flight is lost on arrival', () => {
    const s = new Scenario(safe).write(0, 0).do({ kind: 'partition', groups: [0, 0, 1] }).drain();
    expect(s.state.nodes.map((n) => n.log.length)).toEqual([2, 2, 1]);
    s.write(1, 1);
    expect(s.state.network.inFlight.map((m) => m.to)).toEqual([1]);
  });

  it('a one-way cut loses messages in one direction only', () => {
    const s = new Scenario(safe).do({ kind: 'cut', from: 1, to: 0 }).write(0, 0).drain();
    expect(s.state.nodes[1].log).toHaveLength(2); // n1 -> n2 still works
    expect(s.state.nodes[0].peers[1].match).toBe(1); // n2 -> n1 does not: n1 never hears n2 has index 2
    expect(s.events.at(-1)).toMatchObject({ type: 'ok', process: 0 }); // n3 made the majority
  });

  it('heal restores every link', () => {
    const s = new Scenario(safe).do({ kind: 'partition', groups: [0, 1, 2] }, { kind: 'cut', from: 0, to: 1 }, { kind: 'heal' });
    expect(s.state.network.cuts).toEqual([0, 0, 0]);
  });

  it('drop loses a message; duplicate delivers it twice, harmlessly', () => {
    const s = new Scenario(safe).write(0, 0).do({ kind: 'duplicate', pick: 0 }, { kind: 'drop', pick: 1 });
    expect(s.state.network.inFlight.map((m) => [m.kind, m.to])).toEqual([
      ['append', 1],
      ['append', 1],
    ]);
    s.drain();
    expect(s.state.nodes.map((n) => n.log.length)).toEqual([2, 2, 1]);
    expect(s.events.at(-1)).toMatchObject({ type: 'ok', process: 0 });
  });
});
