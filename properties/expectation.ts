import type { CampaignOutcome } from './campaign.ts';

// What a campaign's outcome means for a preset, given what the preset is known for. A correct design
// (nothing expected) must hold every property. A flawed design must be caught: every anomaly it is
// known for named by some counterexample; other failures a flawed design shows besides are reported,
// not held against it. This is what `leaderlog test` exits on: CI wants to know that the correct
// designs hold and that the harness still catches every known flaw.

export type PresetVerdict =
  /** A correct design held every property. */
  | 'held'
  /** A flawed design was caught: each anomaly it is known for was named. */
  | 'caught'
  /** A correct design has a counterexample. */
  | 'failed'
  /** A flawed design was not caught within the runs: some anomaly it is known for was never named. */
  | 'missed'
  /** A correct design showed no counterexample, but some check ran out of budget. */
  | 'unknown';

export interface PresetJudgement {
  readonly verdict: PresetVerdict;
  /** Every name the counterexamples were given, in property order. */
  readonly named: readonly string[];
  /** Expected anomalies no counterexample named. */
  readonly missing: readonly string[];
}

export function judgePreset(outcome: CampaignOutcome): PresetJudgement {
  const named = [
    ...new Set(outcome.properties.flatMap((p) => (p.counterexample?.verdict.status === 'violated' ? p.counterexample.verdict.names : []))),
  ];
  const expected = outcome.subject.expected;
  const missing = expected.filter((kind) => !named.includes(kind));
  if (expected.length > 0) return { verdict: missing.length === 0 ? 'caught' : 'missed', named, missing };
  if (outcome.properties.some((p) => p.status === 'violated')) return { verdict: 'failed', named, missing };
  return { verdict: outcome.properties.some((p) => p.status === 'unknown') ? 'unknown' : 'held', named, missing };
}

/** As expected (0), something unexpected (1: a correct design failed or a flaw was missed), or only unknowns (2). */
export function campaignStatus(verdicts: readonly PresetVerdict[]): 'as-expected' | 'unexpected' | 'unknown' {
  if (verdicts.some((v) => v === 'failed' || v === 'missed')) return 'unexpected';
  return verdicts.includes('unknown') ? 'unknown' : 'as-expected';
}
