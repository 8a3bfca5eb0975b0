import { join } from 'node:path';
import { InputError } from '../history/input-error.ts';
import type { CampaignOutcome, Shard } from '../properties/index.ts';
import { counterexampleFile, formatCounterexampleFile } from '../properties/index.ts';
import { makeFolder, writeErrorReason, writeFileAtomic } from './write-file-atomic.ts';

// Where a campaign's counterexamples go: one file per failed property, written atomically, named so the
// same seed (and shard) writes the same files. `leaderlog test` and assertSystemHolds both write them.

/** One file per failed property, named so the same seed (and shard) writes the same files. */
export function writeCounterexamples(outcome: CampaignOutcome, dir: string, shard: Shard = { index: 0, count: 1 }): Map<string, string> {
  const sharded = shard.count > 1 ? `.shard-${shard.index + 1}-of-${shard.count}` : '';
  const files = new Map<string, string>();
  const counterexamples = outcome.properties.flatMap((p) => (p.counterexample ? [p.counterexample] : []));
  if (counterexamples.length === 0) return files;
  makeFolder(dir, 'the folder for counterexamples');
  try {
    for (const counterexample of counterexamples) {
      const file = join(dir, `${counterexample.subject.name}.${counterexample.property}.seed-${counterexample.seed}${sharded}.json`);
      writeFileAtomic(file, formatCounterexampleFile(counterexampleFile(counterexample, file)));
      files.set(counterexample.property, file);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot write counterexamples: ${writeErrorReason(error)}`, { file: dir });
  }
  return files;
}
