import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event } from '../event.ts';
import { isClientProcess } from '../event.ts';
import type { PairOptions } from '../operation.ts';
import { buildHistory } from '../operation.ts';
import type { Value } from '../value.ts';
import { checkHistory } from './check.ts';
import { smallRegisterHistory } from './small-history.test-kit.ts';

// Metamorphic properties: changes to a history that cannot change whether it is linearizable.

const runs = 1_000;
const model = 'cas-register';
const histories = smallRegisterHistory({ model, maxOps: 7 });

/** The verdict, or the message of the error the history gets: both must survive the change. */
function outcome(events: readonly Event[], options: PairOptions = {}): string {
  try {
    return checkHistory(buildHistory(events, options), { model }).verdict;
  } catch (error) {
    return `error: ${(error as Error).message.replace(/\d+/g, 'N')}`;
  }
}

function mapValues(value: Value, relabel: (v: number) => number): Value {
  if (typeof value === 'number') return relabel(value);
  if (Array.isArray(value)) return value.map((v) => mapValues(v, relabel));
  return value;
}

describe('a verdict does not change when', () => {
  it('processes are renamed', () => {
    fc.assert(
      fc.property(histories, fc.integer({ min: 1, max: 1000 }), (events, offset) => {
        const renamed = events.map((e) => (isClientProcess(e.process) ? { ...e, process: e.process * 3 + offset } : e));
        expect(outcome(renamed)).toBe(outcome(events));
      }),
      { numRuns: runs },
    );
  });

  it('values are relabelled consistently (nil, the initial value, stays nil)', () => {
    const permutations = fc.constantFrom([0, 1, 2], [2, 0, 1], [1, 2, 0], [0, 2, 1], [2, 1, 0]);
    fc.assert(
      fc.property(histories, permutations, fc.integer({ min: -50, max: 50 }), (events, permutation, shift) => {
        const relabel = (v: number) => permutation[v] * 7 + shift;
        const relabelled = events.map((e) => ({ ...e, value: mapValues(e.value, relabel) }));
        expect(outcome(relabelled)).toBe(outcome(events));
      }),
      { numRuns: runs },
    );
  });

  it('times are shifted or scaled, when the history is ordered by time', () => {
    fc.assert(
      fc.property(
        histories.chain((events) =>
          fc.tuple(fc.constant(events), fc.array(fc.nat(40), { minLength: events.length, maxLength: events.length })),
        ),
        fc.integer({ min: -1e6, max: 1e6 }),
        fc.integer({ min: 1, max: 1000 }),
        ([events, times], shift, scale) => {
          const timed = events.map((e, i) => ({ ...e, time: times[i] }));
          const moved = timed.map((e) => ({ ...e, time: e.time * scale + shift }));
          expect(outcome(moved, { sortByTime: true })).toBe(outcome(timed, { sortByTime: true }));
        },
      ),
      { numRuns: runs },
    );
  });

  it('two histories are interleaved as two keys: each key keeps its verdict', () => {
    fc.assert(
      fc.property(histories, histories, fc.array(fc.boolean(), { maxLength: 60 }), (a, b, picks) => {
        const keyedA = a.map((e) => ({ ...e, key: 'a' }));
        const keyedB = b.map((e) => ({ ...e, key: 'b', process: isClientProcess(e.process) ? e.process + 100 : e.process }));
        const merged: Event[] = [];
        let i = 0;
        let j = 0;
        for (const pickA of picks) {
          if (pickA && i < keyedA.length) merged.push(keyedA[i++]);
          else if (j < keyedB.length) merged.push(keyedB[j++]);
        }
        merged.push(...keyedA.slice(i), ...keyedB.slice(j));
        const clients = merged.filter((e) => isClientProcess(e.process));
        const result = checkHistory(buildHistory(clients), { model });
        const byKey = Object.fromEntries(result.partitions.map((p) => [p.key, p.verdict]));
        const alone = (events: Event[]) => checkHistory(buildHistory(events), { model }).verdict;
        if (a.some((e) => isClientProcess(e.process))) expect(byKey.a).toBe(alone(a));
        if (b.some((e) => isClientProcess(e.process))) expect(byKey.b).toBe(alone(b));
        expect(result.verdict).toBe([alone(a), alone(b)].includes('invalid') ? 'invalid' : 'valid');
      }),
      { numRuns: runs },
    );
  });
});
