import { describe, expect, it } from 'vitest';
import { shorthand } from '../anomalies/shorthand.ts';
import { InputError } from '../input-error.ts';
import { checkConsistency } from './check-consistency.ts';
import { consistencyTable } from './consistency-table.ts';
import type { ConsistencyLevel, LevelResult } from './level.ts';
import { checkMonotonicReads } from './monotonic-reads.ts';

const holding = (text: string): Record<ConsistencyLevel, LevelResult['holds']> =>
  Object.fromEntries(consistencyTable(shorthand(text)).rows.map((row) => [row.level, row.result.holds])) as Record<ConsistencyLevel, LevelResult['holds']>;

// Store buffering (Dekker): each process writes one key, then reads the other key's initial value.
// Every session guarantee holds key by key, yet no interleaving has both reads before both writes.
const storeBuffering = `
  0 invoke write 1 key=x
  1 invoke write 1 key=y
  0 ok write 1 key=x
  1 ok write 1 key=y
  0 invoke read nil key=y
  1 invoke read nil key=x
  0 ok read nil key=y
  1 ok read nil key=x
`;

const ALL = { linearizable: true, sequential: true, 'read-your-writes': true, 'monotonic-reads': true, 'monotonic-writes': true, 'writes-follow-reads': true };

describe('consistencyTable on register histories', () => {
  it('holds everything on a linearizable history with concurrent writes', () => {
    expect(
      holding(`
        0 invoke write 1
        1 invoke write 2
        0 ok write 1
        1 ok write 2
        2 invoke read nil
        2 ok read 1
        2 invoke read nil
        2 ok read 1
      `),
    ).toEqual(ALL);
  });

  it('a stale read by another session is sequential but not linearizable', () => {
    expect(
      holding(`
        0 invoke write 1
        0 ok write 1
        0 invoke write 2
        0 ok write 2
        1 invoke read nil
        1 ok read 1
      `),
    ).toEqual({ ...ALL, linearizable: false });
  });

  it('a session missing its own write breaks read-your-writes only', () => {
    expect(
      holding(`
        0 invoke write 1
        0 ok write 1
        0 invoke read nil
        0 ok read nil
      `),
    ).toEqual({ ...ALL, linearizable: false, sequential: false, 'read-your-writes': false });
  });

  it('a session reading back in time breaks monotonic reads', () => {
    expect(
      holding(`
        0 invoke write 1
        0 ok write 1
        1 invoke write 2
        1 ok write 2
        2 invoke read nil
        2 ok read 1
        2 invoke read nil
        2 ok read 2
        2 invoke read nil
        2 ok read 1
      `),
    ).toEqual({ ...ALL, linearizable: false, sequential: false, 'monotonic-reads': false });
  });

  it("a session seeing another's writes out of order breaks monotonic writes", () => {
    const history = shorthand(`
      0 invoke write 1
      0 ok write 1
      0 invoke write 2
      0 ok write 2
      1 invoke read nil
      1 ok read 2
      1 invoke read nil
      1 ok read 1
    `);
    const result = checkConsistency(history, 'monotonic-writes');
    expect(result.holds).toBe(false);
    if (result.holds !== false) return;
    expect(result.evidence.ops).toEqual([0, 1, 2, 3]);
    expect(result.evidence.reason).toMatch(/process 0 wrote 1 \(#0\) then 2 \(#1\); process 1 read 2 \(#2\) then 1 \(#3\)/);
    expect(checkConsistency(history, 'monotonic-reads').holds).toBe(true);
  });

  it('a write seen before what its writer had read breaks writes-follow-reads', () => {
    expect(
      holding(`
        0 invoke write 1
        0 ok write 1
        1 invoke read nil
        1 ok read 1
        1 invoke write 2
        1 ok write 2
        2 invoke read nil
        2 ok read 2
        2 invoke read nil
        2 ok read 1
      `),
    ).toEqual({ ...ALL, linearizable: false, sequential: false, 'writes-follow-reads': false });
  });

  it('leaves session levels unknown when values repeat, until sequential consistency settles them', () => {
    const history = shorthand(`
      0 invoke write 1
      0 ok write 1
      0 invoke write 2
      0 ok write 2
      1 invoke write 1
      1 ok write 1
      2 invoke read nil
      2 ok read 1
    `);
    expect(checkMonotonicReads(history)).toEqual({ holds: 'unknown', reason: expect.stringMatching(/written more than once/) });
    const row = consistencyTable(history).rows.find((r) => r.level === 'monotonic-reads');
    expect(row).toEqual({ level: 'monotonic-reads', result: { holds: true }, via: 'sequential' });
    expect(checkConsistency(history, 'monotonic-reads')).toEqual({ holds: true });
  });

  it('an :info write that lands late and a failed write never seen break nothing', () => {
    expect(
      holding(`
        0 invoke write 1
        0 info write 1
        1 invoke write 2
        1 ok write 2
        1 invoke write 3
        1 fail write 3
        nemesis info start-partition nil
        2 invoke read nil
        2 ok read 1
        nemesis info stop-partition nil
      `),
    ).toEqual(ALL);
  });

  it('refutes sequential consistency by search where no session level does', () => {
    const history = shorthand(storeBuffering);
    const table = holding(storeBuffering);
    expect(table).toEqual({ ...ALL, linearizable: false, sequential: false });
    const result = checkConsistency(history, 'sequential');
    expect(result.holds === false && result.evidence.reason).toMatch(/no interleaving/);
  });
});

describe('consistencyTable on list-append histories', () => {
  it('a stale read is sequential but not linearizable; appends reordered against real time likewise', () => {
    expect(holding('0 invoke append 1\n0 ok append 1\n1 invoke read nil\n1 ok read []')).toEqual({ ...ALL, linearizable: false });
    expect(holding('0 invoke append 1\n0 ok append 1\n1 invoke append 2\n1 ok append 2\n2 invoke read nil\n2 ok read [2 1]')).toEqual({
      ...ALL,
      linearizable: false,
    });
  });

  it('a session missing its own append breaks read-your-writes', () => {
    const table = holding('0 invoke append 1\n0 ok append 1\n0 invoke read nil\n0 ok read []\n1 invoke read nil\n1 ok read [1]');
    expect(table).toEqual({ ...ALL, linearizable: false, sequential: false, 'read-your-writes': false });
  });

  it('holds everything on a linearizable history with an :info append that shows up', () => {
    expect(
      holding(`
        0 invoke append 1
        1 invoke append 2
        0 ok append 1
        1 info append 2
        2 invoke read nil
        2 ok read [1 2]
      `),
    ).toEqual(ALL);
  });
});

describe('checkConsistency', () => {
  it('refuses weaker levels on workloads they are not defined for', () => {
    const mutex = shorthand('0 invoke acquire nil\n0 ok acquire nil');
    expect(() => checkConsistency(mutex, 'monotonic-reads')).toThrow(InputError);
    expect(checkConsistency(mutex, 'linearizable').holds).toBe(true);
  });

  it('on a set history: no level is claimed, and asking for one is a usage error', () => {
    const set = shorthand('0 invoke add 1\n0 ok add 1\n1 invoke read nil\n1 ok read #{1}');
    const table = consistencyTable(set);
    expect(table.workload).toBe('set');
    expect(table.rows.every((row) => row.result.holds === 'unknown')).toBe(true);
    expect(() => checkConsistency(set, 'linearizable')).toThrow(InputError);
  });

  it('says unknown, never a guess, when the sequential search runs out of budget', () => {
    const result = checkConsistency(shorthand(storeBuffering), 'sequential', { budget: { steps: 1 } });
    expect(result).toEqual({ holds: 'unknown', reason: expect.stringMatching(/budget/) });
  });
});
