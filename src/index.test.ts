import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildHistory, explanationText, judgeHistory, models, properties, readHistoryFile } from './index.ts';

// The public API, used the way the README shows it.

describe('public API', () => {
  it('judges a history file and explains the violation', () => {
    const history = readHistoryFile('history/fixtures/knossos/cas-register/bad/rethink-fail-minimal.edn');
    const judgement = judgeHistory(history);
    expect(judgement.verdict).toBe('invalid');
    expect(explanationText(history, judgement.explanation)).toMatch(/phantom-read/);
  });

  it('runs a preset through a generated schedule and judges the model history like any other', () => {
    const [schedule] = fc.sample(properties.presetScheduleArbitrary(models.presets.safe), { numRuns: 1, seed: 7 });
    const run = models.runSystem(models.leaderFollower(models.presets.safe), schedule, { finale: true });
    const judgement = judgeHistory(buildHistory(run.events));
    expect(judgement.verdict).toBe('valid');
    expect(judgement.explanation.findings.anomalies).toEqual([]);
  });
});
