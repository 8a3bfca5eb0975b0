import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { presets } from '../models/index.ts';
import type { CampaignOutcome } from '../properties/index.ts';
import { judgePreset, presetSubject } from '../properties/index.ts';
import type { TestReport } from './test-report.ts';
import { exitCodeOf, formatTestReport, testReportJson } from './test-report.ts';

// The report's verdicts and exit codes for outcomes a real campaign seldom gives: a correct design
// failing, a check running out of budget.

const plain = pc.createColors(false);

function report(outcome: CampaignOutcome): TestReport {
  return {
    seed: 9,
    runs: 10,
    shard: { index: 0, count: 1 },
    presets: [{ outcome, judgement: judgePreset(outcome), files: new Map([['linearizable', 'out/x.json']]) }],
  };
}

const failure = (status: 'violated' | 'unknown'): CampaignOutcome => ({
  subject: presetSubject(presets.safe),
  seed: 9,
  runs: 10,
  properties: [
    {
      property: 'linearizable',
      status,
      runs: 4,
      counterexample: {
        schedule: [{ kind: 'heal' }, { kind: 'heal' }, { kind: 'heal' }],
        verdict:
          status === 'violated'
            ? { status, names: ['stale-read'], reasons: ['r'], anomalies: [] }
            : { status, reason: 'the linearizability check ran out of its step budget' },
        observation: { findings: () => ({ anomalies: [], inconclusive: [] }) },
        run: 3,
        path: '3:0',
      } as never,
    },
    { property: 'converges', status: 'held', runs: 10 },
  ],
});

describe('the test report', () => {
  it('fails a correct design with a counterexample: exit 1', () => {
    const text = formatTestReport(report(failure('violated')), plain);
    expect(text).toMatch(/safe\s+nothing \(correct\)\s+linearizable\s+counterexample after 4 runs, shrunk to 3 steps: stale-read\n/);
    expect(text).toContain('=> FAILED: a correct design has a counterexample');
    expect(text).toContain('  safe linearizable: leaderlog replay out/x.json');
    expect(text).toContain('1 preset: 1 failed: something was not as expected (exit 1)');
    expect(exitCodeOf(report(failure('violated')))).toBe(1);
    expect(formatTestReport(report(failure('violated')), pc.createColors(true))).toContain('\x1b[31m\x1b[1m');
  });

  it('reports a check out of budget as unknown, never as held: exit 2', () => {
    const unknown = report(failure('unknown'));
    expect(formatTestReport(unknown, plain)).toContain(
      'UNKNOWN after 4 runs, shrunk to 3 steps: the linearizability check ran out of its step budget',
    );
    expect(exitCodeOf(unknown)).toBe(2);
    expect(testReportJson(unknown)).toMatchObject({
      status: 'unknown',
      exitCode: 2,
      presets: [
        {
          verdict: 'unknown',
          properties: [
            {
              status: 'unknown',
              counterexample: { names: [], reasons: ['the linearizability check ran out of its step budget'], file: 'out/x.json' },
            },
            { status: 'held', runs: 10 },
          ],
        },
      ],
    });
  });
});
