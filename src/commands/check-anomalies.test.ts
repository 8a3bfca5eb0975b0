import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// `leaderlog check` beyond linearizability: named anomalies, consistency levels and the timeline page.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function leaderlog(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'check', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const jsonl = (events: object[]) => `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;

// Process 0 writes 1, then 2; process 1 reads 1 after the write of 2 completed: a stale read, and a
// later read of 2 shows it was transient.
const STALE = jsonl([
  { type: 'invoke', process: 0, f: 'write', value: 1 },
  { type: 'ok', process: 0, f: 'write', value: 1 },
  { type: 'invoke', process: 0, f: 'write', value: 2 },
  { type: 'ok', process: 0, f: 'write', value: 2 },
  { type: 'invoke', process: 1, f: 'read', value: null },
  { type: 'ok', process: 1, f: 'read', value: 1, node: 'n2' },
  { type: 'invoke', process: 1, f: 'read', value: null },
  { type: 'ok', process: 1, f: 'read', value: 2 },
]);

// A list-append history whose reads fork: [1 2] and [1 3] cannot both be prefixes of one log.
const FORKED = jsonl([
  { type: 'invoke', process: 0, f: 'append', key: 'x', value: 1 },
  { type: 'ok', process: 0, f: 'append', key: 'x', value: 1 },
  { type: 'invoke', process: 1, f: 'append', key: 'x', value: 2 },
  { type: 'ok', process: 1, f: 'append', key: 'x', value: 2 },
  { type: 'invoke', process: 2, f: 'append', key: 'x', value: 3 },
  { type: 'ok', process: 2, f: 'append', key: 'x', value: 3 },
  { type: 'invoke', process: 0, f: 'read', key: 'x', value: null },
  { type: 'ok', process: 0, f: 'read', key: 'x', value: [1, 2] },
  { type: 'invoke', process: 1, f: 'read', key: 'x', value: null },
  { type: 'ok', process: 1, f: 'read', key: 'x', value: [1, 3] },
]);

// Monotonic reads hold for each process, but process 1 reads 1 after 2 was acknowledged: not linearizable.
const SESSION_OK = jsonl([
  { type: 'invoke', process: 0, f: 'write', value: 1 },
  { type: 'ok', process: 0, f: 'write', value: 1 },
  { type: 'invoke', process: 0, f: 'write', value: 2 },
  { type: 'ok', process: 0, f: 'write', value: 2 },
  { type: 'invoke', process: 1, f: 'read', value: null },
  { type: 'ok', process: 1, f: 'read', value: 1 },
]);

describe('leaderlog check: anomalies, levels, page', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leaderlog-check-anomalies-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('names a stale read with the operations that prove it, and exits 1', () => {
    const { status, stdout } = leaderlog(write('stale.jsonl', STALE));
    expect(status).toBe(1);
    expect(stdout).toMatch(/invalid as a register .*1 anomaly named/);
    expect(stdout).toMatch(/stale-read: /);
    const json = JSON.parse(leaderlog(write('stale2.jsonl', STALE), '--json', '--explain').stdout);
    const [anomaly] = json.files[0].explanation.anomalies;
    expect(anomaly.kind).toBe('stale-read');
    expect(anomaly.ops.map((op: { id: number }) => op.id)).toEqual(expect.arrayContaining([0, 1, 2]));
    expect(json.files[0].workload).toBe('register');
  });

  it('checks list-append histories by their append order and names the fork as two leaders', () => {
    const { status, stdout } = leaderlog(write('forked.jsonl', FORKED), '--json', '--explain');
    expect(status).toBe(1);
    const file = JSON.parse(stdout).files[0];
    expect(file).toMatchObject({ verdict: 'invalid', model: 'list-append', workload: 'list-append' });
    expect(file.explanation.anomalies.map((a: { kind: string }) => a.kind)).toContain('dual-leader');
  });

  it('--consistency exits by the level asked for, and --levels lists every level', () => {
    const file = write('session.jsonl', SESSION_OK);
    expect(leaderlog(file).status).toBe(1);
    const monotonic = leaderlog(file, '--consistency', 'monotonic-reads');
    expect(monotonic.status).toBe(0);
    expect(monotonic.stdout).toMatch(/monotonic-reads: holds/);
    expect(leaderlog(file, '--consistency', 'linearizable').status).toBe(1);
    const table = leaderlog(file, '--levels', '--json');
    const levels = JSON.parse(table.stdout).files[0].levels;
    expect(levels.map((l: { level: string }) => l.level)).toEqual([
      'linearizable',
      'sequential',
      'read-your-writes',
      'monotonic-reads',
      'monotonic-writes',
      'writes-follow-reads',
    ]);
    expect(levels.find((l: { level: string }) => l.level === 'linearizable').holds).toBe(false);
    expect(levels.find((l: { level: string }) => l.level === 'monotonic-reads').holds).toBe(true);
    const bad = leaderlog(file, '--consistency', 'causal');
    expect(bad.status).toBe(3);
    expect(bad.stderr).toMatch(/causal/);
  });

  it('--consistency of a weaker level holds on a history proved linearizable, even where its own search runs out', () => {
    const file = 'history/fixtures/knossos/cas-register/good/memstress3-1.edn';
    for (const level of ['sequential', 'monotonic-reads']) {
      const { status, stdout } = leaderlog(file, '--consistency', level);
      expect(stdout).toContain(`\n  ${level}: holds\n`);
      expect(status).toBe(0);
    }
  });

  it('--html writes one self-contained page, or a folder of pages for several files', () => {
    const page = join(dir, 'stale.html');
    expect(leaderlog(write('stale3.jsonl', STALE), '--html', page).status).toBe(1);
    const html = readFileSync(page, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).not.toMatch(/<script[^>]+src=/);
    const folder = join(dir, 'pages');
    leaderlog(write('a.jsonl', STALE), write('b.jsonl', SESSION_OK), '--html', folder);
    expect(readdirSync(folder).sort()).toHaveLength(2);
    expect(readdirSync(folder).every((name) => name.endsWith('.jsonl.html'))).toBe(true);
  });

  it('an --html path that cannot be written is bad usage (exit 3), said in one line', () => {
    const file = write('stale4.jsonl', STALE);
    const single = leaderlog(file, '--html', join(file, 'page.html'));
    expect(single.status).toBe(3);
    expect(single.stderr).toBe(`leaderlog: ${join(file, 'page.html')}: cannot write: part of its path is a file, not a folder\n`);
    const several = leaderlog(file, write('session2.jsonl', SESSION_OK), '--html', file);
    expect(several.status).toBe(3);
    expect(several.stderr).toBe(`leaderlog: ${file}: cannot make the folder for the pages: it is a file, not a folder\n`);
  });

  it('writes no page when the input is bad', () => {
    const page = join(dir, 'never.html');
    const { status } = leaderlog(write('garbage.jsonl', '{"type": "invoke", \n'), '--html', page);
    expect(status).toBe(3);
    expect(existsSync(page)).toBe(false);
  });
});
