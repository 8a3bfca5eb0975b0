import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectAnomalies } from '../anomalies/detect-anomalies.ts';
import { checkHistory } from '../check.ts';
import type { History, Operation } from '../operation.ts';
import { buildHistory } from '../operation.ts';
import { smallRegisterHistory } from '../small-history-arbitrary.ts';
import { valueKey } from '../value.ts';
import type { Value } from '../value.ts';
import { checkSequential } from './sequential.ts';
import { consistencyTable } from './consistency-table.ts';

// On small random register and cas-register histories (values repeat, ops fail or end :info):
// - the sequential-consistency check agrees with a brute-force oracle that tries every interleaving;
// - every level the table refutes is really refuted where an oracle exists (sequential, linearizable),
//   and the levels never contradict their implications;
// - every anomaly the detectors name is a real violation: the history is not linearizable.

const runs = Number(process.env.LEADERLOG_DIFF_RUNS) || 2_000;

/** Every interleaving of the processes' own orders; :info writes and cas may be skipped. */
function bruteForceSequential(history: History): boolean {
  const queues = new Map<number, Operation[]>();
  for (const op of history.operations) {
    if (op.result === 'fail' || (op.f === 'read' && op.result === 'info')) continue;
    const queue = queues.get(op.process) ?? [];
    queue.push(op);
    queues.set(op.process, queue);
  }
  const sessions = [...queues.values()];
  const search = (positions: number[], value: string): boolean => {
    if (positions.every((p, s) => p === sessions[s].length)) return true;
    return sessions.some((ops, s) => {
      const op = ops[positions[s]];
      if (!op) return false;
      const next = [...positions];
      next[s]++;
      if (op.result === 'info' && search(next, value)) return true;
      if (op.f === 'read') return valueKey(op.output) === value && search(next, value);
      if (op.f === 'write') return search(next, valueKey(op.input));
      const [from, to] = op.input as readonly Value[];
      return valueKey(from) === value && search(next, valueKey(to));
    });
  };
  return search(sessions.map(() => 0), valueKey(null));
}

describe.each(['register', 'cas-register'] as const)('consistency levels on small %s histories', (model) => {
  it('sequential consistency agrees with brute force, and the table respects implications', () => {
    const seen = { true: 0, false: 0 };
    fc.assert(
      fc.property(smallRegisterHistory({ model }), (events) => {
        const history = buildHistory(events);
        const expected = bruteForceSequential(history);
        seen[`${expected}`]++;
        const sequential = checkSequential(history, { workload: 'register' });
        expect(sequential.holds).toBe(expected);
        const table = consistencyTable(history, { workload: 'register', model });
        const holds = Object.fromEntries(table.rows.map((row) => [row.level, row.result.holds]));
        expect(holds.sequential).toBe(expected);
        expect(holds.linearizable).toBe(checkHistory(history, { model }).verdict === 'valid');
        if (holds.linearizable === true) expect(holds.sequential).toBe(true);
        if (expected) for (const row of table.rows.slice(2)) expect(row.result.holds).toBe(true);
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
