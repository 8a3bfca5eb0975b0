import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bruteForceLinearizable } from './brute-force-linearizability.ts';
import { checkHistory } from './check.ts';
import { chooseModel } from './model-choice.ts';
import { buildHistory } from './operation.ts';
import { smallRegisterHistory } from './small-history-arbitrary.ts';
import { witnessProblem } from './witness.ts';

// The checker against a brute-force oracle that tries every order real time allows, on many small
// random histories. LEADERLOG_DIFF_RUNS raises the count (each model gets this many runs).

const runs = Number(process.env.LEADERLOG_DIFF_RUNS) || 5_000;

describe.each(['register', 'cas-register'] as const)('the %s checker agrees with brute force', (model) => {
  it(`on ${runs} random histories of up to 8 operations`, () => {
    const seen = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(smallRegisterHistory({ model }), (events) => {
        const expected = bruteForceLinearizable(events, model) ? 'valid' : 'invalid';
        const history = buildHistory(events);
        const result = checkHistory(history, { model });
        seen[expected]++;
        expect(result.verdict).toBe(expected);
        const linearization = result.partitions[0].linearization;
        if (linearization) expect(witnessProblem(chooseModel([], model), history.operations, linearization)).toBeUndefined();
      }),
      { numRuns: runs },
    );
    // Both verdicts must be common, or the agreement would say little.
    expect(seen.valid).toBeGreaterThan(runs / 10);
    expect(seen.invalid).toBeGreaterThan(runs / 10);
  });
});
