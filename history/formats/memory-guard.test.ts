import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { OutOfMemoryError } from '../input-error.ts';
import { memoryGuard, phaseGuard } from './memory-guard.ts';

describe('memoryGuard', () => {
  it('lets reading go on while the heap has room', () => {
    const guard = memoryGuard('h.jsonl', 64 * 2 ** 30);
    guard.expect(2 ** 30);
    guard.read(2 ** 20);
    expect(() => guard.check()).not.toThrow();
  });

  it('stops with what the whole history would need once the heap is nearly full', () => {
    const used = process.memoryUsage().heapUsed;
    const guard = memoryGuard('h.jsonl', Math.floor(used / 2));
    guard.expect(10 * 2 ** 30);
    guard.read(2 ** 30);
    let error: unknown;
    try {
      guard.check();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OutOfMemoryError);
    expect((error as OutOfMemoryError).describe()).toMatch(
      /^h\.jsonl: out of memory: the history needs about [\d.]+ (MiB|GiB) of memory for its events \(read 1\.0 GiB of 10\.0 GiB\), more than the \d+ MiB this process may use; give Node more with NODE_OPTIONS=--max-old-space-size=<MiB>$/,
    );
  });

  it('says "more than" for input of unknown size (a pipe)', () => {
    const guard = memoryGuard('-', Math.floor(process.memoryUsage().heapUsed / 2));
    guard.expect(undefined);
    guard.read(100);
    expect(() => guard.check()).toThrow(/the history needs more than \d+ MiB of memory for its events \(read 1 MiB\)/);
  });
});

describe('phaseGuard', () => {
  it('lets a phase go on while the heap has room, and stops it with an extrapolated need once it is nearly full', () => {
    expect(() => phaseGuard('h.jsonl', 'its operations', 100, 64 * 2 ** 30)(50)).not.toThrow();
    const check = phaseGuard('h.jsonl', 'its operations', 1000, Math.floor(process.memoryUsage().heapUsed / 2));
    expect(() => check(10)).toThrow(OutOfMemoryError);
    expect(() => check(10)).toThrow(
      /^out of memory: the history needs (about|more than) [\d.]+ (MiB|GiB) of memory for its operations \(10 of 1000 done\), more than the \d+ MiB this process may use/,
    );
  });
});

describe('leaderlog check under a memory limit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leaderlog-memory-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a valid history too big for the heap: exit 4 and what it needs, never a V8 abort', () => {
    // About 18 MB of a valid register: its events fit a 48 MiB heap, its events and operations do not,
    // so whichever of reading and pairing fills the heap first must stop itself.
    const lines: string[] = [];
    for (let i = 0, value = 0; lines.length < 260_000; i++) {
      const p = i % 10;
      if (i % 2 === 0) value = i;
      const f = i % 2 === 0 ? 'write' : 'read';
      lines.push(`{"type":"invoke","process":${p},"f":"${f}","value":${f === 'write' ? value : null},"time":${2 * i}}`);
      lines.push(`{"type":"ok","process":${p},"f":"${f}","value":${value},"time":${2 * i + 1}}`);
    }
    const path = join(dir, 'big.jsonl');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const bin = fileURLToPath(new URL('../../bin/leaderlog.js', import.meta.url));
    const run = spawnSync(process.execPath, ['--max-old-space-size=48', bin, 'check', path], { encoding: 'utf8' });
    expect(run.stderr).not.toMatch(/FATAL ERROR|heap out of memory|at /);
    expect(run.stderr).toMatch(
      /^leaderlog: .*big\.jsonl: out of memory: the history needs (about|more than) [\d.]+ (MiB|GiB) of memory for its (events|operations)/,
    );
    expect(run.status).toBe(4);
  });
});
