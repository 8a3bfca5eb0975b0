import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertSystemHolds } from '../../src/index.ts';
import { asyncKv } from './system.ts';

// The flawed example: asynchronous replication and self-promotion must be caught, each flaw named
// and shrunk to a few steps, and the same seed must say so in the same words.

const out = mkdtempSync(join(tmpdir(), 'leaderlog-async-kv-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function failure(seed: number, outDir?: string): string {
  try {
    assertSystemHolds(asyncKv, { runs: 300, seed, module: 'examples/async-kv/system.ts', ...(outDir !== undefined && { outDir }) });
  } catch (error) {
    expect((error as Error).name).toBe('AssertionError');
    return (error as Error).message;
  }
  throw new Error('async-kv held: its flaws were not caught');
}

describe('async-kv, a flawed design', () => {
  const message = failure(1, out);

  it.each([
    ['no-lost-write', 'lost-write'],
    ['no-stale-read', 'stale-read'],
    ['single-leader', 'dual-leader'],
  ])('fails %s, named %s, shrunk to a few steps', (property, name) => {
    const found = new RegExp(`^${property}: ${name}, shrunk to (\\d+) steps?`, 'm').exec(message);
    expect(found, message).not.toBeNull();
    expect(Number(found![1])).toBeLessThanOrEqual(8);
  });

  it('says what it could not judge: no invariants, no settled hook', () => {
    expect(message).toMatch(/failed within 300 runs of seed 1/);
    expect(message).toMatch(/of the 4 properties it is judged by/);
  });

  it('shows the timeline, the proof and the replay command', () => {
    expect(message).toMatch(/Timeline \(step/);
    expect(message).toMatch(/Proof \(the operations that show it\):\n\s+lost-write on key 0/);
    expect(message).toContain(`Replay: leaderlog replay ${join(out, 'async-kv.no-lost-write.seed-1.json')}`);
  });

  it('writes counterexample files naming the system, its module and its source hash', () => {
    const file = JSON.parse(readFileSync(join(out, 'async-kv.no-lost-write.seed-1.json'), 'utf8'));
    expect(file.preset).toBeUndefined();
    expect(file.system).toMatchObject({ name: 'async-kv', module: 'examples/async-kv/system.ts' });
    expect(file.system.hash).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(file.verdict.names).toContain('lost-write');
  });

  it('gives the same bytes for the same seed', () => {
    expect(failure(1)).toBe(failure(1));
  });
});
