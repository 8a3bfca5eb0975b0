import { describe, expect, it } from 'vitest';
import { presets } from './presets.ts';
import { Scenario } from './scenario.ts';

const { safe } = presets;

describe('crash', () => {
  it('takes the node down, says so, and abandons the clients waiting on it', () => {
    const s = new Scenario(safe).write(0, 0).read(1, 1).do({ kind: 'crash', node: 0 });
    const last = s.events.slice(-4);
    expect(last).toMatchObject([
      { type: 'info', process: 'nemesis', f: 'crash', node: 'n1' },
      { type: 'info', process: 'cluster', f: 'role', node: 'n1', value: 'down', epoch: 1 },
      { type: 'info', process: 0, f: 'write', value: 1, error: 'crashed' },
      { type: 'fail', process: 1, f: 'read', error: 'crashed' },
    ]);
    expect(s.state.clients.map((c) => c.target)).toEqual([1, 1, 0]);
  });

  it('messages to a down node are lost on arrival; its own are still on the wire', () => {
    const s = new Scenario(safe).write(0, 0).do({ kind: 'crash', node: 1 }, { kind: 'deliver', pick: 0 });
    expect(s.state.nodes[1].log).toHaveLength(1);
    s.do({ kind: 'deliver', pick: 0 }).do({ kind: 'crash', node: 0 }).do({ kind: 'deliver', pick: 0 });
    // n3's reply reached nobody; n3 still holds the write n1 sent before dying.
    expect(s.state.nodes[2].log).toHaveLength(2);
  });
});

describe('restart', () => {
  it('durable: keeps log, epoch and vote; rebuilds the commit point and store from the leader', () => {
    const s = new Scenario(safe).write(0, 0).drain().tick(0).drain().do({ kind: 'crash', node: 2 }, { kind: 'restart', node: 2 });
    const n3 = s.state.nodes[2];
    expect(n3).toMatchObject({ up: true, role: 'follower', epoch: 1, votedFor: 0, commit: 0, applied: 0, store: [null, null] });
    expect(n3.log).toHaveLength(2);
    s.tick(0).drain();
    expect(s.state.nodes[2]).toMatchObject({ commit: 2, store: [1, null] });
  });

  it('unsynced: a crash loses what was appended since the last tick flushed the log', () => {
    const policy = presets['unsynced-restart'];
    const s = new Scenario(policy).write(0, 0).drain();
    expect(s.state.nodes.map((n) => [n.log.length, n.synced])).toEqual([
      [2, 1],
      [2, 1],
      [2, 1],
    ]);
    s.tick(2).do({ kind: 'crash', node: 1 }, { kind: 'crash', node: 2 });
    expect(s.state.nodes.map((n) => n.log.length)).toEqual([2, 1, 2]);
  });

  it('a fenced leader comes back as a follower', () => {
    const s = new Scenario(safe).do({ kind: 'crash', node: 0 }, { kind: 'restart', node: 0 });
    expect(s.state.nodes[0]).toMatchObject({ role: 'follower', epoch: 1, leader: null });
  });

  it('an unfenced leader resumes leading, as if nothing happened', () => {
    const s = new Scenario(presets['no-fencing']).do({ kind: 'crash', node: 0 }, { kind: 'restart', node: 0 });
    expect(s.state.nodes[0]).toMatchObject({ role: 'leader', epoch: 1 });
    expect(s.events.filter((e) => e.f === 'role').slice(3).map((e) => e.value)).toEqual(['down', 'leader']);
    s.drain();
    expect(s.state.nodes[0].commit).toBe(2); // its new no-op, and with it the old log
  });
});
