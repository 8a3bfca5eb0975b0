import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readHistoryFile } from '../formats/read-history.ts';
import { checkHistory } from './check.ts';
import { chooseModel } from './model-choice.ts';
import { witnessProblem } from './witness.test-kit.ts';

// Every Knossos history gets the verdict its folder names (good: linearizable, bad: not), checked
// against the model its folder names; a valid verdict must come with a linearization that replays.

const root = fileURLToPath(new URL('../fixtures/knossos', import.meta.url));
const cases = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((model) =>
    readdirSync(join(root, model.name)).flatMap((verdict) =>
      readdirSync(join(root, model.name, verdict))
        .filter((file) => file.endsWith('.edn'))
        .map((file) => ({ model: model.name, expected: verdict === 'good' ? 'valid' : 'invalid', file: join(model.name, verdict, file) })),
    ),
  );

describe('the Knossos histories', () => {
  it('are all here: every folder of the Knossos data set', () => {
    expect(new Set(cases.map((c) => c.file.split('/').slice(0, 2).join('/')))).toEqual(
      new Set(['cas-register/good', 'cas-register/bad', 'multi-register/good', 'mutex/bad']),
    );
    expect(cases.length).toBeGreaterThan(110);
  });

  it.each(cases)('$file is $expected as a $model', ({ model, expected, file }) => {
    const history = readHistoryFile(join(root, file));
    const result = checkHistory(history, { model });
    expect(result.verdict).toBe(expected);
    const [partition] = result.partitions;
    if (partition.linearization) {
      expect(witnessProblem(chooseModel(history.operations, model), history.operations, partition.linearization)).toBeUndefined();
    } else {
      expect(partition.stuck?.length).toBeGreaterThan(0);
    }
  });
});
