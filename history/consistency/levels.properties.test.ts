import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildHistory } from '../operation.ts';
import type { BruteWriteOrder } from './brute-force-levels.test-kit.ts';
import { bruteForceLevel } from './brute-force-levels.test-kit.ts';
import { checkConsistency } from './check-consistency.ts';
import { consistencyTable } from './consistency-table.ts';
import type { ConsistencyLevel } from './level.ts';
import { CONSISTENCY_LEVELS } from './level.ts';
import type { SmallSessionHistoryOptions } from './small-session-history.test-kit.ts';
import { smallSessionHistory } from './small-session-history.test-kit.ts';

// On small random register and list-append histories whose processes go on after an :info (their
// writes may land after their next operations), with failed writes, stale and garbled reads:
// - every level the table or checkConsistency decides agrees with a brute-force oracle that tries every
//   order the level's definition allows (brute-force-levels.test-kit.ts); written values are unique, so nothing
//   is left unknown;
// - the levels imply one another as their definitions say: linearizable => sequential => each session
//   guarantee under the free write order; linearizable => each session guarantee under the real-time
//   write order, which implies it under the free one; in the oracle's answers as in the checks', and the
//   table settles a level from another only that way (holds from a stronger level, fails from a weaker one).
// Both write orders, each over `runs` histories per workload.

const runs = Number(process.env.LEADERLOG_DIFF_RUNS) || 1_500;
const SESSION_LEVELS = CONSISTENCY_LEVELS.slice(2);
/** Strongest first: a level settled from another holds because a stronger one does, or fails because a weaker one does. */
const rank = (level: ConsistencyLevel) => CONSISTENCY_LEVELS.indexOf(level);

const workloads: readonly [string, SmallSessionHistoryOptions][] = [
  ['list-append', { workload: 'list-append' }],
  ['list-append, two keys', { workload: 'list-append', keys: 2 }],
  ['register', { workload: 'register' }],
  ['cas-register', { workload: 'register', cas: true }],
];

const writeOrders: readonly BruteWriteOrder[] = ['real-time', 'free'];
const cases = workloads.flatMap(([name, options]) => writeOrders.map((writeOrder) => [name, writeOrder, options] as const));

describe.each(cases)('consistency levels on small %s histories, writes in %s order', (_, writeOrder, options) => {
  it('agree with brute force, level by level, and respect the implications', () => {
    const refuted = Object.fromEntries(CONSISTENCY_LEVELS.map((level) => [level, 0])) as Record<ConsistencyLevel, number>;
    let held = 0;
    let partial = 0;
    let orderMatters = 0;
    fc.assert(
      fc.property(smallSessionHistory(options), (events) => {
        const history = buildHistory(events);
        const workload = options.workload;
        const table = consistencyTable(history, { workload, writeOrder });
        const oracle = Object.fromEntries(
          CONSISTENCY_LEVELS.map((level) => [level, bruteForceLevel(history, workload, level, null, writeOrder)]),
        ) as Record<ConsistencyLevel, boolean>;
        for (const row of table.rows) {
          expect({ level: row.level, holds: row.result.holds }).toEqual({ level: row.level, holds: oracle[row.level] });
          if (row.via !== undefined)
            expect({ row, direction: rank(row.via) < rank(row.level) }).toEqual({ row, direction: row.result.holds === true });
          expect({ level: row.level, holds: checkConsistency(history, row.level, { workload, writeOrder }).holds }).toEqual({
            level: row.level,
            holds: oracle[row.level],
          });
          if (!oracle[row.level]) refuted[row.level]++;
        }
        if (oracle.linearizable) expect(oracle.sequential).toBe(true);
        const implied = writeOrder === 'free' ? oracle.sequential : oracle.linearizable;
        if (implied) for (const level of SESSION_LEVELS) expect({ level, holds: oracle[level] }).toEqual({ level, holds: true });
        if (writeOrder === 'real-time') {
          for (const level of SESSION_LEVELS) {
            const free = bruteForceLevel(history, workload, level, null, 'free');
            if (oracle[level]) expect({ level, free }).toEqual({ level, free: true });
            else if (free) orderMatters++;
          }
        }
        if (oracle.linearizable) held++;
        const failing = SESSION_LEVELS.filter((level) => !oracle[level]).length;
        if (failing > 0 && failing < SESSION_LEVELS.length) partial++;
      }),
      { numRuns: runs },
    );
    // Each answer must be common enough that the agreement says something, and levels must part ways.
    expect(held).toBeGreaterThan(runs / 10);
    expect(refuted.linearizable).toBeGreaterThan(runs / 20);
    expect(refuted.sequential).toBeGreaterThan(runs / 40);
    for (const level of SESSION_LEVELS) expect({ level, refuted: refuted[level] > runs / 200 }).toEqual({ level, refuted: true });
    expect(partial).toBeGreaterThan(runs / 100);
    // The real-time order must refute guarantees the free order lets hold, or comparing both says little.
    if (writeOrder === 'real-time') expect(orderMatters).toBeGreaterThan(runs / 500);
  });
});
