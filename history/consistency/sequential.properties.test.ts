import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectAnomalies } from '../anomalies/detect-anomalies.ts';
import { checkHistory } from '../linearizability/check.ts';
import { smallRegisterHistory } from '../linearizability/small-history.test-kit.ts';
import { buildHistory } from '../operation.ts';
import { bruteForceLevel } from './brute-force-levels.test-kit.ts';
import { consistencyTable } from './consistency-table.ts';
import { checkSequential } from './sequential.ts';

// On small random register and cas-register histories (values repeat, ops fail or end :info; a process
// that ended :info is replaced by a fresh one, as in Jepsen):
// - the sequential-consistency check agrees with the brute-force oracle (brute-force-levels.test-kit.ts);
// - every level the table decides (true or false) is confirmed by the oracle; session levels may be
//   unknown where a read's value was written more than once, and the levels never contradict their
//   implications;
// - every anomaly the detectors name is a real violation: the history is not linearizable.

const runs = Number(process.env.LEADERLOG_DIFF_RUNS) || 2_000;

describe.each(['register', 'cas-register'] as const)('consistency levels on small %s histories', (model) => {
  it('sequential consistency agrees with brute force, and the table respects implications', () => {
    const seen = { true: 0, false: 0 };
    fc.assert(
      fc.property(smallRegisterHistory({ model }), (events) => {
        const history = buildHistory(events);
        const expected = bruteForceLevel(history, 'register', 'sequential');
        seen[`${expected}`]++;
        const sequential = checkSequential(history, { workload: 'register' });
        expect(sequential.holds).toBe(expected);
        for (const writeOrder of ['free', 'real-time'] as const) {
          const table = consistencyTable(history, { workload: 'register', model, writeOrder });
          const holds = Object.fromEntries(table.rows.map((row) => [row.level, row.result.holds]));
          expect(holds.sequential).toBe(expected);
          expect(holds.linearizable).toBe(checkHistory(history, { model }).verdict === 'valid');
          if (holds.linearizable === true) expect(holds.sequential).toBe(true);
          // Sequential consistency implies the session guarantees under the free write order; linearizability under either.
          if (writeOrder === 'free' ? expected : holds.linearizable === true)
            for (const row of table.rows.slice(2)) expect(row.result.holds).toBe(true);
          for (const row of table.rows.slice(2)) {
            if (row.result.holds === 'unknown') continue;
            const oracle = bruteForceLevel(history, 'register', row.level, null, writeOrder);
            expect({ level: row.level, writeOrder, holds: row.result.holds }).toEqual({ level: row.level, writeOrder, holds: oracle });
          }
        }
      }),
      { numRuns: runs },
    );
    // Both answers must be common, or the agreement would say little.
    expect(Math.min(seen.true, seen.false)).toBeGreaterThan(runs / 20);
  });

  it('every anomaly named is a violation of linearizability', () => {
    let named = 0;
    fc.assert(
      fc.property(smallRegisterHistory({ model }), (events) => {
        const history = buildHistory(events);
        if (detectAnomalies(history, { workload: 'register' }).anomalies.length === 0) return;
        named++;
        expect(checkHistory(history, { model }).verdict).toBe('invalid');
      }),
      { numRuns: runs },
    );
    expect(named).toBeGreaterThan(runs / 20);
  });
});
