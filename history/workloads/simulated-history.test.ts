import { describe, expect, it } from 'vitest';
import { buildHistory } from '../operation.ts';
import type { SimulationOptions } from './simulated-history.ts';
import { seededChoose, simulateHistory } from './simulated-history.ts';

// The simulator's options do what they say. That its histories are linearizable is shown by the checker
// and detector properties that use it (linearizability.properties.test.ts, detectors.properties.test.ts).

const simulated = (options: SimulationOptions, seed = 1) => buildHistory(simulateHistory(options, seededChoose(seed)));

describe('simulateHistory', () => {
  it('gives the same events for the same seed, and others for another', () => {
    const options: SimulationOptions = {
      workload: 'register',
      ops: 500,
      processes: 5,
      keys: 3,
      cas: true,
      values: 5,
      cluster: { nodes: 3, failoverEvery: 50 },
      timed: true,
    };
    const a = JSON.stringify(simulateHistory(options, seededChoose(7)));
    expect(JSON.stringify(simulateHistory(options, seededChoose(7)))).toBe(a);
    expect(JSON.stringify(simulateHistory(options, seededChoose(8)))).not.toBe(a);
  });

  it('invokes every operation and completes each, at per-operation fail and info rates', () => {
    const history = simulated({ workload: 'register', ops: 20_000, processes: 10, failPercent: 10, infoPercent: 5 });
    const share = (result: string) => history.operations.filter((op) => op.result === result).length / 20_000;
    expect(history.operations).toHaveLength(20_000);
    expect(history.operations.every((op) => op.completeIndex >= 0)).toBe(true);
    expect(share('fail')).toBeCloseTo(0.1, 1);
    expect(share('info')).toBeCloseTo(0.05, 1);
  });

  it('keeps clients busy: each invokes its next operation as soon as it has an answer', () => {
    const { events } = simulated({ workload: 'register', ops: 10_000, processes: 20, nemesisOneIn: 0 });
    let open = 0;
    let sum = 0;
    for (const event of events) {
      if (event.type === 'invoke') sum += open++;
      else open--;
    }
    expect(sum / 10_000).toBeGreaterThan(17);
  });

  it('makes slow operations overlap many more others: the longest 1% span far more events', () => {
    const longestSpans = (slowPercent: number) => {
      const { operations } = simulated({ workload: 'register', ops: 20_000, processes: 10, slowPercent, nemesisOneIn: 0 });
      const spans = operations.map((op) => op.completeIndex - op.invokeIndex).sort((a, b) => a - b);
      return spans[Math.floor(spans.length * 0.99)];
    };
    expect(longestSpans(5)).toBeGreaterThan(2 * longestSpans(0));
  });

  it('replaces the process of a crashed operation with a fresh one', () => {
    const history = simulated({ workload: 'register', ops: 2000, processes: 4, infoPercent: 10 });
    for (const op of history.operations.filter((o) => o.result === 'info')) {
      expect(history.operations.some((later) => later.process === op.process && later.invokeIndex > op.invokeIndex)).toBe(false);
    }
    expect(new Set(history.operations.map((op) => op.process)).size).toBeGreaterThan(4);
  });

  it('draws repeating values when asked, fresh ones otherwise', () => {
    const written = (values?: number) =>
      simulated({ workload: 'register', ops: 2000, processes: 5, cas: true, ...(values !== undefined && { values }) }).operations.flatMap(
        (op) => (op.f === 'write' ? [op.input] : op.f === 'cas' ? [(op.input as number[])[1]] : []),
      );
    expect(new Set(written(5))).toEqual(new Set([0, 1, 2, 3, 4]));
    const fresh = written();
    expect(new Set(fresh).size).toBe(fresh.length);
  });

  it('makes cas a register operation that fails only when it finds another value', () => {
    const history = simulated({ workload: 'register', ops: 2000, processes: 5, cas: true, values: 3, failPercent: 0, infoPercent: 0 });
    const cas = history.operations.filter((op) => op.f === 'cas');
    expect(cas.length).toBeGreaterThan(300);
    expect(cas.some((op) => op.result === 'ok')).toBe(true);
    expect(cas.some((op) => op.result === 'fail')).toBe(true);
    expect(history.operations.filter((op) => op.f !== 'cas').every((op) => op.result === 'ok')).toBe(true);
    expect(() => simulateHistory({ workload: 'set', ops: 10, processes: 2, cas: true }, seededChoose(1))).toThrow(/compare-and-set/);
  });

  it('moves to a fresh key after writesPerKey writes', () => {
    const history = simulated({ workload: 'list-append', ops: 1000, processes: 4, keys: 2, writesPerKey: 10 });
    const writes = new Map<unknown, number>();
    for (const op of history.operations) if (op.f === 'append') writes.set(op.key, (writes.get(op.key) ?? 0) + 1);
    expect(Math.max(...writes.values())).toBeLessThanOrEqual(10);
    expect(writes.size).toBeGreaterThan(20);
  });

  it('shows a cluster: roles at the start and at each failover, acknowledging node and epoch, errors', () => {
    const { events, operations } = simulated({
      workload: 'register',
      ops: 1000,
      processes: 5,
      nemesisOneIn: 0,
      cluster: { nodes: 3, failoverEvery: 100 },
    });
    const roles = events.filter((e) => e.process === 'cluster' && e.f === 'role');
    expect(roles.slice(0, 3).map((e) => [e.node, e.value, e.epoch])).toEqual([
      ['n1', 'leader', 1],
      ['n2', 'follower', 1],
      ['n3', 'follower', 1],
    ]);
    expect(roles.filter((e) => e.value === 'leader').map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(events.filter((e) => e.process === 'nemesis')).toHaveLength(9 * 4);
    expect(operations.filter((op) => op.result === 'ok').every((op) => op.node !== undefined && op.epoch !== undefined)).toBe(true);
    expect(new Set(operations.filter((op) => op.result !== 'ok').map((op) => op.error))).toEqual(new Set(['timeout', 'not leader']));
  });

  it('stamps times that never go back when timed, none otherwise', () => {
    const timed = simulated({ workload: 'set', ops: 500, processes: 5, timed: true }).events.map((e) => e.time as number);
    expect(timed.every((time, i) => i === 0 || time > timed[i - 1])).toBe(true);
    expect(simulated({ workload: 'set', ops: 500, processes: 5 }).events.some((e) => e.time !== undefined)).toBe(false);
  });
});
