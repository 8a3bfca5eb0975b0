import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Operation } from '../operation.ts';
import { buildHistory } from '../operation.ts';
import { seededChoose, simulateHistory } from '../workloads/simulated-history.ts';
import { bruteForceLinearizable } from './brute-force.test-kit.ts';
import { checkHistory, searchOps } from './check.ts';
import { chooseModel } from './model-choice.ts';
import type { HashKeys } from './search.ts';
import { searchLinearization } from './search.ts';
import { smallRegisterHistory } from './small-history.test-kit.ts';
import { witnessProblem } from './witness.test-kit.ts';

// The checker against a brute-force oracle that tries every order real time allows, on many small
// random histories: 50,000 in all by default (some 10 s), LEADERLOG_DIFF_RUNS in all when set.

const runs = Number(process.env.LEADERLOG_DIFF_RUNS) || 50_000;

// Three kinds of history per model: mostly ok ops from three clients; and, to work the handling of
// indeterminate ops (alike ones grouped, ones used up), half of the completions :info over four clients.
// And some longer ones from five clients, where alike info ops and long searches are common.
const kinds = [
  { model: 'register', slots: 3, infoInSix: 1, maxOps: 8, share: 0.2 },
  { model: 'cas-register', slots: 3, infoInSix: 1, maxOps: 8, share: 0.2 },
  { model: 'register', slots: 4, infoInSix: 3, maxOps: 8, share: 0.15 },
  { model: 'cas-register', slots: 4, infoInSix: 3, maxOps: 8, share: 0.2 },
  { model: 'register', slots: 5, infoInSix: 2, maxOps: 14, share: 0.1 },
  { model: 'cas-register', slots: 5, infoInSix: 2, maxOps: 14, share: 0.15 },
] as const;

describe.each(kinds)(
  'the $model checker agrees with brute force ($slots clients, $infoInSix in 6 completions :info)',
  ({ model, slots, infoInSix, maxOps, share }) => {
    const cases = Math.ceil(runs * share);
    it(`on ${cases} random histories of up to ${maxOps} operations`, () => {
      const seen = { valid: 0, invalid: 0 };
      fc.assert(
        fc.property(smallRegisterHistory({ model, slots, infoInSix, maxOps }), (events) => {
          const expected = bruteForceLinearizable(events, model) ? 'valid' : 'invalid';
          const history = buildHistory(events);
          const result = checkHistory(history, { model });
          seen[expected]++;
          expect(result.verdict).toBe(expected);
          const linearization = result.partitions[0].linearization;
          if (linearization) expect(witnessProblem(chooseModel([], model), history.operations, linearization)).toBeUndefined();
          expect(collidingSearch(model, history.operations).verdict).toBe(expected);
        }),
        { numRuns: cases },
      );
      // Both verdicts must be common, or the agreement would say little.
      expect(seen.valid).toBeGreaterThan(cases / 10);
      expect(seen.invalid).toBeGreaterThan(cases / 10);
    });
  },
);

// Longer histories are beyond the oracle, but ones recorded from a register that really is linearizable
// must be proved so: a search that pruned a configuration it had not explored would call some invalid.
describe('the checker proves valid every history of a simulated linearizable register', () => {
  it('on 300 of up to 400 operations, with crashes, over one to three keys', () => {
    fc.assert(
      fc.property(
        fc.record({
          ops: fc.integer({ min: 40, max: 400 }),
          processes: fc.integer({ min: 2, max: 6 }),
          keys: fc.integer({ min: 1, max: 3 }),
          infoPercent: fc.constantFrom(0, 5, 20),
          failPercent: fc.constantFrom(0, 5),
          cas: fc.boolean(),
          // Absent: every write a fresh value; else values repeat, which makes the search harder.
          values: fc.constantFrom(undefined, 2, 3, 5),
          seed: fc.integer(),
        }),
        (options) => {
          const history = buildHistory(simulateHistory({ workload: 'register', ...options }, seededChoose(options.seed)));
          const result = checkHistory(history, { model: options.cas ? 'cas-register' : 'register' });
          expect(result.verdict).toBe('valid');
          if (options.keys === 1 && options.ops <= 150) expect(collidingSearch(result.model, history.operations).verdict).toBe('valid');
          for (const partition of result.partitions) {
            const model = chooseModel(history.operations, options.cas ? 'cas-register' : 'register');
            const members = history.operations.filter((op) => op.key === partition.key);
            expect(witnessProblem(model, members, partition.linearization ?? [])).toBeUndefined();
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** Every configuration gets the same hash: only the memo's exact comparison tells them apart. */
const colliding: HashKeys = (count) => [new Int32Array(count), new Int32Array(count)];

function collidingSearch(model: string, operations: readonly Operation[]) {
  const { spec } = chooseModel([], model);
  return searchLinearization(spec, searchOps(spec, operations), {}, colliding);
}
