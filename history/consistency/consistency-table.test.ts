import { describe, expect, it } from 'vitest';
import { shorthand } from '../anomalies/shorthand.test-kit.ts';
import { InputError } from '../input-error.ts';
import { checkHistory } from '../linearizability/check.ts';
import type { History } from '../operation.ts';
import { checkConsistency } from './check-consistency.ts';
import type { ConsistencyOptions } from './consistency-options.ts';
import { consistencyTable } from './consistency-table.ts';
import type { ConsistencyLevel, LevelResult } from './level.ts';
import { CONSISTENCY_LEVELS } from './level.ts';
import { checkMonotonicReads } from './monotonic-reads.ts';

const holding = (history: string | History, options: ConsistencyOptions = {}): Record<ConsistencyLevel, LevelResult['holds']> =>
  Object.fromEntries(
    consistencyTable(typeof history === 'string' ? shorthand(history) : history, options).rows.map((row) => [row.level, row.result.holds]),
  ) as Record<ConsistencyLevel, LevelResult['holds']>;

/** The session guarantees' version order free of real time (by default it follows real time, as a single leader orders writes). */
const FREE = { writeOrder: 'free' } as const;

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

const ALL = {
  linearizable: true,
  sequential: true,
  'read-your-writes': true,
  'monotonic-reads': true,
  'monotonic-writes': true,
  'writes-follow-reads': true,
};

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

  it("a session seeing another's writes out of order breaks no one session guarantee, only all of them together", () => {
    // Order 1, 2 meets monotonic writes (process 1 went back in time); order 2, 1 meets monotonic reads.
    const text = `
      0 invoke write 1
      0 ok write 1
      0 invoke write 2
      0 ok write 2
      1 invoke read nil
      1 ok read 2
      1 invoke read nil
      1 ok read 1
    `;
    expect(holding(text, FREE)).toEqual({ ...ALL, linearizable: false, sequential: false });
    const result = checkConsistency(shorthand(text), 'sequential');
    expect(result.holds).toBe(false);
    if (result.holds !== false) return;
    expect(result.evidence.ops).toEqual([0, 1, 2, 3]);
    expect(result.evidence.reason).toMatch(
      /the session guarantees fail together: process 0 wrote 1 \(#0\) then 2 \(#1\); process 1 read 2 \(#2\) then 1 \(#3\)/,
    );
  });

  it('with writes in real-time order, a session seeing writes out of their order breaks monotonic reads on its own', () => {
    const text =
      '0 invoke write 1\n0 ok write 1\n0 invoke write 2\n0 ok write 2\n1 invoke read nil\n1 ok read 2\n1 invoke read nil\n1 ok read 1';
    expect(holding(text)).toEqual({ ...ALL, linearizable: false, sequential: false, 'monotonic-reads': false });
    const result = checkConsistency(shorthand(text), 'monotonic-reads');
    expect(result.holds === false && result.evidence.reason).toBe(
      'monotonic-reads fails: the write of 1 (#0) was acknowledged before the write of 2 (#1) began; process 1 read 2 (#2) then 1 (#3); no order of the writes satisfies all of these',
    );
  });

  it('a session reading its own later write breaks writes-follow-reads only', () => {
    expect(
      holding(`
        0 invoke read nil
        0 ok read 1
        0 invoke write 1
        0 ok write 1
      `),
    ).toEqual({ ...ALL, linearizable: false, sequential: false, 'writes-follow-reads': false });
  });

  it('two sessions each writing after reading the other (a causal loop) break writes-follow-reads only', () => {
    const history = shorthand(`
      0 invoke read nil
      1 invoke read nil
      0 ok read 2
      1 ok read 1
      0 invoke write 1
      1 invoke write 2
      0 ok write 1
      1 ok write 2
    `);
    expect(holding(history)).toEqual({ ...ALL, linearizable: false, sequential: false, 'writes-follow-reads': false });
    const result = checkConsistency(history, 'writes-follow-reads');
    expect(result.holds === false && result.evidence.reason).toMatch(/process 0 read 2 \(#0\) then wrote 1 \(#2\)/);
    expect(result.holds === false && result.evidence.reason).toMatch(/process 1 read 1 \(#1\) then wrote 2 \(#3\)/);
  });

  it('a write seen before what its writer had read breaks no one session guarantee, only all of them together', () => {
    // Writes-follow-reads orders 1 before 2; process 2 then read back in time, which monotonic reads
    // alone allows with the order 2, 1.
    expect(
      holding(
        `
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
      `,
        FREE,
      ),
    ).toEqual({ ...ALL, linearizable: false, sequential: false });
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
    expect(checkMonotonicReads(history)).toEqual({
      holds: 'unknown',
      reason: expect.stringMatching(/written more than once, .*; the rest show no monotonic-reads violation$/),
    });
    // Under the free write order sequential consistency settles it; under real time (the default), only
    // linearizability can, which this history has.
    const row = consistencyTable(history, FREE).rows.find((r) => r.level === 'monotonic-reads');
    expect(row).toEqual({ level: 'monotonic-reads', result: { holds: true }, via: 'sequential' });
    expect(checkConsistency(history, 'monotonic-reads', FREE)).toEqual({ holds: true });
    const realTime = consistencyTable(history).rows.find((r) => r.level === 'monotonic-reads');
    expect(realTime).toEqual({ level: 'monotonic-reads', result: { holds: true }, via: 'linearizable' });
  });

  it('settles a level its own search left unknown by a linearizability proof passed in, as the table does', () => {
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
    const budget = { steps: 1 };
    const linearizability = checkHistory(history);
    expect(linearizability.verdict).toBe('valid');
    for (const level of ['sequential', 'monotonic-reads'] as const) {
      expect(checkConsistency(history, level, { budget }).holds).toBe('unknown');
      expect(checkConsistency(history, level, { budget, linearizability })).toEqual({ holds: true });
    }
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
    const reordered = '0 invoke append 1\n0 ok append 1\n1 invoke append 2\n1 ok append 2\n2 invoke read nil\n2 ok read [2 1]';
    expect(holding(reordered, FREE)).toEqual({ ...ALL, linearizable: false });
    // A single leader cannot log 2 before 1 when 1 was acknowledged before 2 began: every guarantee fails.
    expect(holding(reordered)).toEqual({
      linearizable: false,
      sequential: true,
      'read-your-writes': false,
      'monotonic-reads': false,
      'monotonic-writes': false,
      'writes-follow-reads': false,
    });
    const result = checkConsistency(shorthand(reordered), 'read-your-writes');
    expect(result.holds === false && result.evidence.reason).toMatch(/^the writes cannot be ordered as a single leader orders them: /);
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

describe('session guarantees part ways on list-append histories, where reads show the order of writes', () => {
  it('a session reading back in time breaks monotonic reads, not monotonic writes', () => {
    expect(holding('0 invoke append 1\n0 ok append 1\n1 invoke read nil\n1 ok read [1]\n1 invoke read nil\n1 ok read []')).toEqual({
      ...ALL,
      linearizable: false,
      sequential: false,
      'monotonic-reads': false,
    });
  });

  it("a session's appends in the log out of its order break monotonic writes, not monotonic reads", () => {
    const history = shorthand('0 invoke append 1\n0 ok append 1\n0 invoke append 2\n0 ok append 2\n1 invoke read nil\n1 ok read [2 1]');
    expect(holding(history, FREE)).toEqual({ ...ALL, linearizable: false, sequential: false, 'monotonic-writes': false });
    const result = checkConsistency(history, 'monotonic-writes', FREE);
    expect(result.holds === false && result.evidence.reason).toMatch(/^monotonic-writes fails: .*process 0 wrote 1 \(#0\) then 2 \(#1\)/);
  });

  it('an :info append that shows up still comes after the acknowledged appends its process made before it', () => {
    const history = shorthand('0 invoke append 1\n0 ok append 1\n0 invoke append 2\n0 info append 2\n1 invoke read nil\n1 ok read [2 1]');
    expect(holding(history, FREE)).toEqual({ ...ALL, linearizable: false, sequential: false, 'monotonic-writes': false });
  });

  it('a session showing its own append before making it breaks writes-follow-reads only', () => {
    // Reads are prefixes of one log, so this is the only way a list breaks it without forking.
    expect(holding('0 invoke read nil\n0 ok read [1]\n0 invoke append 1\n0 ok append 1')).toEqual({
      ...ALL,
      linearizable: false,
      sequential: false,
      'writes-follow-reads': false,
    });
  });
});

describe(':info operations are never forced to have happened, nor failed ones taken as having happened', () => {
  // From the model's follower-reads runs: a client whose request timed out goes on as the same
  // process, and its write lands after its next read.
  it('an :info append that lands after its own process reads the list without it', () => {
    expect(holding('0 invoke append 1\n0 info append 1\n0 invoke read nil\n0 ok read []\n1 invoke read nil\n1 ok read [1]')).toEqual(ALL);
  });

  it('an :info write that lands after its own process reads the old value', () => {
    expect(holding('0 invoke write 1\n0 info write 1\n0 invoke read nil\n0 ok read nil\n1 invoke read nil\n1 ok read 1')).toEqual(ALL);
  });

  it('an :info cas that lands after its own process reads the old value, and another that never lands', () => {
    const history = shorthand(`
      0 invoke cas [nil 1]
      0 info cas [nil 1]
      0 invoke read nil
      0 ok read nil
      0 invoke cas [7 2]
      0 info cas [7 2]
      1 invoke read nil
      1 ok read 1
    `);
    expect(holding(history)).toEqual(ALL);
  });

  it('an :info cas shown to have happened read its old value, after the writes its process made before', () => {
    // It missed process 0's own write; the order nil, 1, 2 still meets monotonic writes.
    const history = shorthand(`
      0 invoke write 1
      0 ok write 1
      0 invoke cas [nil 2]
      0 info cas [nil 2]
      1 invoke read nil
      1 ok read 2
    `);
    expect(holding(history)).toEqual({ ...ALL, linearizable: false, sequential: false, 'read-your-writes': false });
  });

  it('a read of a value only a failed write wrote breaks every level', () => {
    const history = shorthand('0 invoke write 1\n0 fail write 1\n1 invoke read nil\n1 ok read 1');
    const table = consistencyTable(history);
    expect(table.rows.map((row) => row.result.holds)).toEqual(CONSISTENCY_LEVELS.map(() => false));
  });
});

describe('consistencyTable settles a level from another only in the direction of the implications', () => {
  const histories = [
    storeBuffering,
    '0 invoke write 1\n0 ok write 1\n0 invoke read nil\n0 ok read nil',
    '0 invoke append 1\n0 ok append 1\n0 invoke append 2\n0 ok append 2\n1 invoke read nil\n1 ok read [2 1]',
    '0 invoke write 1\n0 ok write 1\n0 invoke write 2\n0 ok write 2\n1 invoke write 1\n1 ok write 1\n2 invoke read nil\n2 ok read 1',
  ];
  it.each(histories)('holds flows from stronger levels, fails from weaker ones: %s', (text) => {
    const rank = (level: ConsistencyLevel) => CONSISTENCY_LEVELS.indexOf(level);
    for (const row of consistencyTable(shorthand(text)).rows) {
      if (row.via === undefined) continue;
      expect(row.result.holds).not.toBe('unknown');
      if (row.result.holds === true) expect(rank(row.via)).toBeLessThan(rank(row.level));
      else expect(rank(row.via)).toBeGreaterThan(rank(row.level));
    }
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
