import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bruteForceLinearizable } from './brute-force-linearizability.ts';
import { checkHistory } from './check.ts';
import { chooseModel } from './model-choice.ts';
import { buildHistory } from './operation.ts';
import { smallRegisterHistory } from './small-history-arbitrary.ts';
import { witnessProblem } from './witness.ts';

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

describe.each(kinds)('the $model checker agrees with brute force ($slots clients, $infoInSix in 6 completions :info)', ({ model, slots, infoInSix, maxOps, share }) => {
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
      }),
      { numRuns: cases },
    );
    // Both verdicts must be common, or the agreement would say little.
    expect(seen.valid).toBeGreaterThan(cases / 10);
    expect(seen.invalid).toBeGreaterThan(cases / 10);
  });
});
