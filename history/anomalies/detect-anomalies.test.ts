import { describe, expect, it } from 'vitest';
import { checkHistory } from '../linearizability/check.ts';
import { detectAnomalies } from './detect-anomalies.ts';
import { shorthand } from './shorthand.test-kit.ts';

// Hand-written register histories, each judged twice: by the detectors (which anomaly, if any) and by
// the linearizability checker (the verdict the anomaly must agree with).

const cases: { name: string; history: string; kinds: string[] }[] = [
  {
    name: 'concurrent writes, either of which may have come last',
    kinds: [],
    history: `
      0 invoke write 1
      1 invoke write 2
      0 ok write 1
      1 ok write 2
      2 invoke read nil
      2 ok read 1
      3 invoke read nil
      3 ok read 1
    `,
  },
  {
    name: 'an :info write that lands after a later write',
    kinds: [],
    history: `
      0 invoke write 1
      0 info write 1
      1 invoke write 2
      1 ok write 2
      2 invoke read nil
      2 ok read 2
      2 invoke read nil
      2 ok read 1
    `,
  },
  {
    name: 'a failed write never seen, among nemesis fault markers',
    kinds: [],
    history: `
      nemesis info start-partition [n1]
      0 invoke write 1
      0 ok write 1
      1 invoke write 2
      1 fail write 2 error=:timeout
      nemesis info stop-partition nil
      2 invoke read nil
      2 ok read 1
    `,
  },
  {
    name: 'a read that never completed and a write that never completed',
    kinds: [],
    history: `
      0 invoke write 1
      0 ok write 1
      1 invoke read nil
      2 invoke write 2
      3 invoke read nil
      3 ok read 2
    `,
  },
  {
    name: 'a stale read from a lagging follower, later caught up',
    kinds: ['stale-read'],
    history: `
      0 invoke write 1
      0 ok write 1 node=n1 epoch=1
      0 invoke write 2
      0 ok write 2 node=n1 epoch=1
      1 invoke read nil
      1 ok read 1 node=n3 epoch=1
      1 invoke read nil
      1 ok read 2 node=n3 epoch=1
    `,
  },
  {
    name: 'a write acknowledged by the old leader and rolled back on failover',
    kinds: ['lost-write'],
    history: `
      0 invoke write 1
      0 ok write 1 node=n1 epoch=1
      0 invoke write 2
      0 ok write 2 node=n1 epoch=1
      nemesis info kill n1
      cluster info role :leader node=n2 epoch=2
      1 invoke read nil
      1 ok read 1 node=n2 epoch=2
      2 invoke read nil
      2 ok read 1 node=n2 epoch=2
    `,
  },
  {
    name: 'two nodes acknowledging writes in one epoch, with the data showing a stale read',
    kinds: ['stale-read', 'dual-leader'],
    history: `
      0 invoke write 1
      0 ok write 1 node=n1 epoch=5
      1 invoke write 2
      1 ok write 2 node=n2 epoch=5
      2 invoke read nil
      2 ok read 1 node=n1 epoch=5
      2 invoke read nil
      2 ok read 2 node=n2 epoch=5
    `,
  },
  {
    name: 'a read of a value no write wrote',
    kinds: ['phantom-read'],
    history: `
      0 invoke write 1
      0 ok write 1
      1 invoke read nil
      1 ok read 9
    `,
  },
];

describe('detectAnomalies on hand-written register histories', () => {
  for (const { name, history, kinds } of cases) {
    it(`${name}: ${kinds.length === 0 ? 'nothing' : kinds.join(' and ')}`, () => {
      const parsed = shorthand(history);
      const found = detectAnomalies(parsed);
      expect(found.anomalies.map((a) => a.kind).sort()).toEqual([...kinds].sort());
      expect(found.inconclusive).toEqual([]);
      const dataAnomalies = kinds.filter((kind) => kind !== 'dual-leader');
      expect(checkHistory(parsed).verdict).toBe(dataAnomalies.length === 0 ? 'valid' : 'invalid');
    });
  }
});
