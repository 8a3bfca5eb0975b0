import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { presetList } from '../models/index.ts';
import { presetScheduleArbitrary } from './arbitraries/preset-schedule.ts';
import { parseCounterexample } from './counterexample.ts';
import { replayCounterexample } from './replay.ts';

// The saved counterexamples, one per flawed preset, replayed as regression tests: the schedule still
// gives the very history that was saved, the property still fails with the same anomaly, and the seed
// and path still draw the schedule (the generators have not changed under them).

const DIR = fileURLToPath(new URL('./counterexamples/', import.meta.url));
const files = readdirSync(DIR)
  .filter((name) => name.endsWith('.json'))
  .sort();

describe('saved counterexamples', () => {
  it('keep one per flawed preset', () => {
    expect(files).toEqual(
      presetList
        .filter((p) => p.expected.length > 0)
        .map((p) => `${p.name}.json`)
        .sort(),
    );
  });

  describe.each(files)('%s', (name) => {
    const parsed = parseCounterexample(readFileSync(join(DIR, name), 'utf8'), name);
    if (parsed.kind !== 'preset') throw new Error(`${name} names no preset`);
    const { content, preset } = parsed;

    it('is named as the anomaly its preset is known for, and says how to replay it', () => {
      expect(`${preset.name}.json`).toBe(name);
      expect(content.verdict.status).toBe('violated');
      expect(content.verdict.names.some((n) => (preset.expected as readonly string[]).includes(n))).toBe(true);
      expect(content.replay).toBe(`leaderlog replay properties/counterexamples/${name}`);
    });

    it('replays to the saved history and the same violation', () => {
      const result = replayCounterexample(parsed);
      expect(result.historyDiffers).toBeNull();
      expect(result.observation.run.events).toEqual(content.history);
      expect(result.verdict).toMatchObject({ status: 'violated', names: content.verdict.names, reasons: content.verdict.reasons });
      expect(result.sameFailure).toBe(true);
      expect(result.observation.findings().anomalies).toEqual(content.anomalies);
    });

    it('is drawn again by its seed and path', () => {
      const drawn = fc.check(
        fc.property(presetScheduleArbitrary(preset), () => false),
        { seed: content.seed, path: content.path, endOnFailure: true },
      );
      expect(drawn.counterexample![0]).toEqual(content.schedule);
    });
  });
});
