import { describe, expect, it } from 'vitest';
import { findingsOfKind } from './detect-anomalies.ts';
import { shorthand } from './shorthand.test-kit.ts';

describe('dual leaders', () => {
  it('names two nodes acknowledging writes under one epoch', () => {
    const history = shorthand(`
      0 invoke write 1
      0 ok write 1 node=n1 epoch=3
      1 invoke write 2
      1 ok write 2 node=n2 epoch=3
      2 invoke read nil
      2 ok read 2 node=n1 epoch=3
    `);
    const { anomalies } = findingsOfKind(history, 'dual-leader');
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toMatchObject({ kind: 'dual-leader', ops: [0, 1] });
    expect(anomalies[0].reason).toMatch(/epoch 3/);
  });

  it('does not count a follower serving a read in the leader epoch', () => {
    const history = shorthand(`
      0 invoke write 1
      0 ok write 1 node=n1 epoch=3
      1 invoke read nil
      1 ok read 1 node=n2 epoch=3
    `);
    expect(findingsOfKind(history, 'dual-leader').anomalies).toEqual([]);
  });

  it('names two nodes announced leader of the same epoch', () => {
    const history = shorthand(`
      cluster info role :leader node=n1 epoch=2
      cluster info role :leader node=n2 epoch=2
    `);
    const { anomalies } = findingsOfKind(history, 'dual-leader');
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toMatchObject({ ops: [], events: [0, 1] });
  });

  it('names overlapping leaders that both acknowledge writes in the overlap', () => {
    const history = shorthand(`
      cluster info role :leader node=n1 epoch=1
      0 invoke write 1
      0 ok write 1 node=n1
      nemesis info start-partition [n1]
      cluster info role :leader node=n2 epoch=2
      1 invoke write 2
      1 ok write 2 node=n2
      0 invoke write 3
      0 ok write 3 node=n1
      cluster info role :follower node=n1 epoch=2
    `);
    const { anomalies } = findingsOfKind(history, 'dual-leader');
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toMatchObject({ kind: 'dual-leader', ops: [1, 2], events: [0, 4] });
    // Who led from when to when, and the overlap alone as the window to look at.
    expect(anomalies[0].window).toEqual({ from: 4, to: 9 });
    expect(anomalies[0].reason).toContain(
      'n1 (epoch 1) led from event 0 until event 9, n2 (epoch 2) from event 4 to the end: both were leaders from event 4 to event 9',
    );
  });

  it('accepts a deposed leader that still believes it leads but acknowledges nothing', () => {
    const history = shorthand(`
      cluster info role :leader node=n1 epoch=1
      0 invoke write 1
      0 ok write 1 node=n1 epoch=1
      cluster info role :leader node=n2 epoch=2
      1 invoke write 2
      1 ok write 2 node=n2 epoch=2
      0 invoke write 3
      0 fail write 3 node=n1 epoch=1
      cluster info role :follower node=n1 epoch=2
    `);
    expect(findingsOfKind(history, 'dual-leader').anomalies).toEqual([]);
  });

  it('accepts a deposed leader finishing a write it took before its successor was announced', () => {
    const history = shorthand(`
      cluster info role :leader node=n1 epoch=1
      0 invoke write 1
      cluster info role :leader node=n2 epoch=2
      0 ok write 1 node=n1 epoch=1
      1 invoke write 2
      1 ok write 2 node=n2 epoch=2
      cluster info role :follower node=n1 epoch=2
    `);
    expect(findingsOfKind(history, 'dual-leader').anomalies).toEqual([]);
  });

  it('finds a forked log in a list-append history without annotations', () => {
    const history = shorthand(`
      0 invoke append 1
      0 ok append 1
      1 invoke append 2
      1 ok append 2
      2 invoke append 3
      2 ok append 3
      3 invoke read nil
      3 ok read [1 2]
      4 invoke read nil
      4 ok read [1 3]
    `);
    const { anomalies } = findingsOfKind(history, 'dual-leader');
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]).toMatchObject({ kind: 'dual-leader', ops: [3, 4] });
    expect(anomalies[0].reason).toMatch(/forked after 1 element/);
    expect(anomalies[0].reason).toContain('2 was acknowledged (append #1); 3 was acknowledged (append #2)');
  });

  it('says when the entry of a forked branch was never acknowledged', () => {
    const history = shorthand(`
      0 invoke append 1
      0 ok append 1
      1 invoke append 2
      1 ok append 2
      2 invoke append 3
      2 info append 3
      3 invoke read nil
      3 ok read [1 2]
      4 invoke read nil
      4 ok read [1 3]
    `);
    const [fork] = findingsOfKind(history, 'dual-leader').anomalies;
    expect(fork.reason).toContain('2 was acknowledged (append #1); 3 was never acknowledged (append #2 is indeterminate)');
  });
});
