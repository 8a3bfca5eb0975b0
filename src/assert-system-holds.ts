import { AssertionError } from 'node:assert';
import type { AnySystem } from '../models/index.ts';
import type { CampaignOutcome, PropertyName } from '../properties/index.ts';
import { propertyNamed, runCampaign, systemSubject } from '../properties/index.ts';
import { writeCounterexamples } from './counterexample-files.ts';
import { counterexampleText } from './counterexample-text.ts';
import { sourceHash } from './system-module.ts';

// The test-runner helper: one call in a vitest, jest or node:test test runs the property campaign
// against a system and passes when the system keeps its promise. Otherwise it throws an AssertionError
// whose message is each shrunk counterexample's timeline and proof, and the command that replays it.

export interface AssertSystemOptions {
  /** Schedules to run (default 500). */
  readonly runs?: number;
  /** The seed they are drawn from (default 1): the same seed gives the same runs and the same message. */
  readonly seed?: number;
  /** Where to write counterexample files for `leaderlog replay`; none are written without it. */
  readonly outDir?: string;
  /** The path of the module that exports the system, so a counterexample file names it (and its source's hash) for replay. */
  readonly module?: string;
  /** Only these properties (default: all of them). */
  readonly properties?: readonly PropertyName[];
}

/** Returns the campaign's outcome when every property the system can be judged by held; throws otherwise. */
export function assertSystemHolds(system: AnySystem, options: AssertSystemOptions = {}): CampaignOutcome {
  const runs = options.runs ?? 500;
  const seed = options.seed ?? 1;
  const source = options.module === undefined ? undefined : { module: options.module, hash: sourceHash(options.module) };
  const properties = options.properties?.map((name) => {
    const property = propertyNamed(name);
    if (!property) throw new RangeError(`no property ${name}`);
    return property;
  });
  const outcome = runCampaign(systemSubject(system, source), { runs, seed, ...(properties && { properties }) });
  const failed = outcome.properties.filter((p) => p.counterexample);
  if (failed.length === 0) return outcome;
  const files = options.outDir === undefined ? new Map<string, string>() : writeCounterexamples(outcome, options.outDir);
  const judged = outcome.properties.filter((p) => p.status !== 'not-applicable').length;
  const lines = [
    `${system.name} does not keep its promise (${outcome.subject.promises}): ${failed.length} of the ${judged} properties it is judged by failed within ${runs} runs of seed ${seed}.`,
  ];
  for (const p of failed) lines.push('', ...counterexampleText(p.counterexample!, files.get(p.property)));
  throw new AssertionError({ message: lines.join('\n') });
}
