import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consistencyTable } from '../consistency/consistency-table.ts';
import type { Event } from '../event.ts';
import type { History } from '../operation.ts';
import { buildHistory } from '../operation.ts';
import type { SimulatedWorkload, SimulationOptions } from '../workloads/simulated-history.ts';
import { seededChoose, simulateHistory } from '../workloads/simulated-history.ts';
import { detectAnomalies } from './detect-anomalies.ts';

// Correct stores make no anomalies; broken ones do. Histories come from simulateHistory (a single copy,
// every operation atomic between invocation and completion, failures, :info ops that land late or never,
// nemesis markers); faults are injected by appending a few operations at the end.

const runs = Number(process.env.LEADERLOG_PROPERTY_RUNS) || 200;

const simulation = (workload: SimulatedWorkload) =>
  fc.record({
    workload: fc.constant(workload),
    ops: fc.integer({ min: 0, max: 40 }),
    processes: fc.integer({ min: 1, max: 5 }),
    keys: fc.integer({ min: 1, max: 3 }),
    readPercent: fc.integer({ min: 0, max: 100 }),
    failPercent: fc.integer({ min: 0, max: 20 }),
    infoPercent: fc.integer({ min: 0, max: 20 }),
    seed: fc.integer(),
  });

function simulated(options: SimulationOptions & { seed: number }): Event[] {
  return simulateHistory(options, seededChoose(options.seed));
}

/** The same sequence of operations by fresh processes, one after another, after everything simulated. */
function appended(events: Event[], tail: readonly [string, unknown, unknown][], key?: number): { history: History; first: number } {
  const first = buildHistory(events).operations.length;
  const process = 1_000_000;
  const more: Event[] = tail.flatMap(([f, input, output], i) => [
    { type: 'invoke', process: process + i, f, value: input as Event['value'], ...(key !== undefined && { key }) },
    { type: 'ok', process: process + i, f, value: output as Event['value'], ...(key !== undefined && { key }) },
  ]);
  return { history: buildHistory([...events, ...more]), first };
}

const keyOf = (events: readonly Event[]) => events.find((e) => e.key !== undefined)?.key as number | undefined;

describe('detectors on histories of a correct store', () => {
  for (const workload of ['register', 'list-append', 'set'] as const) {
    it(`raise no anomaly on ${workload} histories`, () => {
      fc.assert(
        fc.property(simulation(workload), (options) => {
          const findings = detectAnomalies(buildHistory(simulated(options)), { workload });
          expect(findings.anomalies).toEqual([]);
          expect(findings.inconclusive).toEqual([]);
        }),
        { numRuns: runs },
      );
    });
  }

  for (const workload of ['register', 'list-append'] as const) {
    it(`find every consistency level holding on ${workload} histories`, () => {
      fc.assert(
        fc.property(simulation(workload), (options) => {
          const table = consistencyTable(buildHistory(simulated({ ...options, ops: Math.min(options.ops, 20) })), { workload });
          for (const row of table.rows) expect({ level: row.level, holds: row.result.holds }).toEqual({ level: row.level, holds: true });
        }),
        { numRuns: runs / 2 },
      );
    });
  }
});

describe('detectors on histories with an injected fault', () => {
  it('name a stale read: a read of a value overwritten before it began, seen newer later', () => {
    fc.assert(
      fc.property(simulation('register'), (options) => {
        const events = simulated({ ...options, keys: 1 });
        const { history, first } = appended(
          events,
          [
            ['write', -1, -1],
            ['write', -2, -2],
            ['read', null, -1],
            ['read', null, -2],
          ],
          keyOf(events),
        );
        const stale = detectAnomalies(history).anomalies.filter((a) => a.kind === 'stale-read');
        expect(stale.map((a) => a.ops)).toContainEqual([first, first + 1, first + 2, first + 3]);
      }),
      { numRuns: runs },
    );
  });

  it('name a lost write: acknowledged, then never seen again, final read included', () => {
    fc.assert(
      fc.property(simulation('register'), (options) => {
        const events = simulated({ ...options, keys: 1 });
        const { history, first } = appended(
          events,
          [
            ['write', -1, -1],
            ['write', -2, -2],
            ['read', null, -1],
          ],
          keyOf(events),
        );
        const anomalies = detectAnomalies(history).anomalies;
        expect(anomalies.filter((a) => a.kind === 'lost-write').map((a) => a.ops)).toContainEqual([first, first + 1, first + 2]);
        expect(anomalies.filter((a) => a.kind === 'stale-read' && a.ops.includes(first + 2))).toEqual([]);
      }),
      { numRuns: runs },
    );
  });

  it('name a forked log on list-append histories as a dual leader', () => {
    fc.assert(
      fc.property(simulation('list-append'), (options) => {
        const events = simulated({ ...options, keys: 1 });
        const key = keyOf(events);
        const current = appendedElements(buildHistory(events), key);
        const { history, first } = appended(
          events,
          [
            ['append', -1, -1],
            ['append', -2, -2],
            ['read', null, [...current, -1]],
            ['read', null, [...current, -2]],
          ],
          key,
        );
        const forks = detectAnomalies(history).anomalies.filter((a) => a.kind === 'dual-leader');
        expect(forks.map((a) => a.ops)).toContainEqual([first + 2, first + 3]);
      }),
      { numRuns: runs },
    );
  });

  it('name a lost append on list-append and set histories', () => {
    fc.assert(
      fc.property(fc.constantFrom('list-append', 'set' as const), simulation('set'), (workload, options) => {
        const events = simulated({ ...options, workload, keys: 1 });
        const key = keyOf(events);
        const current = appendedElements(buildHistory(events), key);
        const writer = workload === 'set' ? 'add' : 'append';
        const { history, first } = appended(
          events,
          [
            [writer, -1, -1],
            ['read', null, [...current]],
          ],
          key,
        );
        const lost = detectAnomalies(history).anomalies.filter((a) => a.kind === 'lost-write');
        expect(lost.map((a) => a.ops)).toContainEqual([first, first + 1]);
      }),
      { numRuns: runs },
    );
  });
});

/** Every element some append or add put in, in the order they took effect as the reads show it: the longest read. */
function appendedElements(history: History, key: number | undefined): unknown[] {
  let longest: unknown[] = [];
  for (const op of history.operations) {
    if (op.f === 'read' && op.result === 'ok' && op.key === key && Array.isArray(op.output) && op.output.length >= longest.length)
      longest = [...op.output];
  }
  const shown = new Set(longest);
  for (const op of history.operations)
    if (op.f !== 'read' && op.result !== 'fail' && op.key === key && !shown.has(op.input)) longest.push(op.input);
  return longest;
}
