import { describe, expect, it } from 'vitest';
import { presetList } from '../models/index.ts';
import type { PropertyOutcome } from './campaign.ts';
import { runCampaign } from './campaign.ts';

// The correct designs hold every property over a fixed set of seeds. LEADERLOG_RUNS sets the runs per
// seed (CI can raise it); the default keeps the whole `npm test` within a few minutes on two cores.

const RUNS = Number(process.env.LEADERLOG_RUNS ?? 1000);
const SEEDS = [1, 2, 3];

/** On failure, everything needed to look into it: the schedule, why, and the command to replay it. */
function describeFailure(preset: string, p: PropertyOutcome): string {
  const c = p.counterexample;
  if (!c) return '';
  const why = c.verdict.status === 'violated' ? c.verdict.reasons.join('; ') : c.verdict.reason;
  return `${preset} ${p.property} ${c.verdict.status} (seed ${c.seed}, path ${c.path}): ${why}\nschedule: ${JSON.stringify(c.schedule)}`;
}

describe.each(presetList.filter((p) => p.expected.length === 0))('$name', (preset) => {
  it.each(SEEDS)(`holds every property over ${RUNS} runs of seed %i`, (seed) => {
    const outcome = runCampaign(preset, { runs: RUNS, seed });
    const failures = outcome.properties.filter((p) => p.status !== 'held').map((p) => describeFailure(preset.name, p));
    expect(failures).toEqual([]);
    expect(outcome.properties.every((p) => p.runs === RUNS)).toBe(true);
  });
});
