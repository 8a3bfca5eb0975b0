import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function leaderlog(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The compiled CLI (npm test builds dist/ first): its workers run dist/'s JavaScript. */
function compiled(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/leaderlog.js', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('leaderlog test', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leaderlog-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds safe: a table of every property, exit 0, no progress bar off a terminal', () => {
    const { status, stdout, stderr } = leaderlog('test', '--preset', 'safe', '--runs', '30', '--out', join(dir, 'none'));
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('leaderlog test: seed 1, 30 runs per preset');
    expect(lines[2]).toMatch(/^preset\s+known for\s+property\s+result$/);
    expect(lines[3]).toMatch(/^safe\s+nothing \(correct\)\s+linearizable\s+held over 30 runs$/);
    expect(stdout.match(/held over 30 runs/g)).toHaveLength(6);
    expect(stdout).toContain('=> held, as expected');
    expect(stdout).not.toContain('Counterexamples');
    expect(lines.at(-2)).toBe('1 preset: 1 held: every correct design held and every known flaw was caught (exit 0)');
  });

  it('catches a flawed preset, writes its counterexamples, and prints the same bytes for the same seed', () => {
    const out = join(dir, 'first');
    const first = leaderlog('test', '--preset', 'async-failover', '--runs', '12', '--seed', '3', '--out', out);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(
      /async-failover\s+lost-write\s+linearizable\s+counterexample after \d+ runs?, shrunk to \d+ steps?: lost-write/,
    );
    expect(first.stdout).toContain('=> caught, as expected');
    const file = join(out, 'async-failover.no-lost-write.seed-3.json');
    expect(first.stdout).toContain(`  async-failover no-lost-write: leaderlog replay ${file}\n`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      preset: 'async-failover',
      property: 'no-lost-write',
      seed: 3,
      verdict: { names: ['lost-write'] },
    });

    const again = leaderlog('test', '--preset', 'async-failover', '--runs', '12', '--seed', '3', '--out', out);
    expect(again.stdout).toBe(first.stdout);
    const other = join(dir, 'second');
    leaderlog('test', '--preset', 'async-failover', '--runs', '12', '--seed', '3', '--out', other);
    // The files differ only in where they say they are.
    for (const name of readdirSync(out))
      expect(readFileSync(join(other, name), 'utf8').replaceAll(other, out)).toBe(readFileSync(join(out, name), 'utf8'));

    const replay = leaderlog('replay', file);
    expect(replay.status).toBe(1);
    expect(replay.stdout).toContain('The violation reproduces (exit 1).');
  });

  it('reports JSON with the anomaly names, and exits 1 when a flawed preset is not caught', () => {
    const { status, stdout } = leaderlog('test', '--preset', 'stale-leader-reads', '--runs', '2', '--json', '--out', join(dir, 'json'));
    expect(status).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ seed: 1, runs: 2, shard: { index: 1, count: 1 }, status: 'unexpected', exitCode: 1 });
    expect(report.presets[0]).toMatchObject({
      preset: 'stale-leader-reads',
      expected: ['stale-read'],
      verdict: 'missed',
      missing: ['stale-read'],
      runs: 2,
    });
    expect(report.presets[0].properties.map((p: { property: string }) => p.property)).toEqual([
      'linearizable',
      'no-lost-write',
      'no-stale-read',
      'single-leader',
      'invariants',
      'converges',
    ]);

    const caught = JSON.parse(leaderlog('test', '--preset', 'naive-failover', '--runs', '6', '--json', '--out', join(dir, 'json')).stdout);
    const naive = caught.presets[0];
    expect(naive).toMatchObject({ verdict: 'caught', missing: [] });
    const single = naive.properties.find((p: { property: string }) => p.property === 'single-leader');
    expect(single).toMatchObject({ status: 'violated', counterexample: { names: ['dual-leader'] } });
    expect(single.counterexample.replay).toBe(`leaderlog replay ${single.counterexample.file}`);
    expect(naive.properties.find((p: { property: string }) => p.property === 'no-lost-write').counterexample.anomalies).toContain(
      'lost-write',
    );
  });

  it('splits the runs over shards and says so', () => {
    const { status, stdout } = leaderlog(
      'test',
      '--preset',
      'safe',
      '--runs',
      '21',
      '--shard',
      '2/2',
      '--timing',
      '--out',
      join(dir, 'none'),
    );
    expect(status).toBe(0);
    expect(stdout.split('\n')[0]).toBe('leaderlog test: seed 1, 21 runs per preset (shard 2/2: every run r with r mod 2 = 1)');
    expect(stdout.match(/held over 10 runs/g)).toHaveLength(6);
    expect(stdout).toMatch(/=> held, as expected \(\d+\.\d s\)/);
  });

  it.each([
    [['--preset', 'raft'], /unknown preset "raft"; presets: safe, lease-reads/],
    [['--preset', 'safe', '--all'], /give --preset or --all, not both/],
    [['--runs', '0'], /--runs must be a whole number of at least 1, got "0"/],
    [['--seed', 'x'], /--seed must be an integer/],
    [['--shard', '3/2'], /--shard must be i\/n with 1 <= i <= n, like 2\/4; got "3\/2"/],
  ])('exits 3 on bad usage: %j', (args, message) => {
    const { status, stdout, stderr } = leaderlog('test', ...args);
    expect(status).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it('explains in its help what the exit codes mean', () => {
    const { status, stdout } = leaderlog('test', '--help');
    expect(status).toBe(0);
    expect(stdout).toContain('--shard <i/n>');
    expect(stdout).toMatch(/Exit: 0 every correct design held and every flawed one was caught; 1 a correct design has a/);
  });
});

describe('leaderlog test --workers, and leaderlog merge', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leaderlog-workers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const filesIn = (out: string) =>
    Object.fromEntries(
      readdirSync(out)
        .sort()
        .map((f) => [f, readFileSync(join(out, f), 'utf8')]),
    );

  it('prints the same bytes, and writes the same counterexamples, on one worker and on two', () => {
    const out = join(dir, 'out');
    const one = leaderlog('test', '--preset', 'safe,follower-reads', '--runs', '40', '--seed', '2', '--workers', '1', '--out', out);
    const oneFiles = filesIn(out);
    const two = leaderlog('test', '--preset', 'safe,follower-reads', '--runs', '40', '--seed', '2', '--workers', '2', '--out', out);
    expect(two.stderr).toBe('');
    expect(one.status).toBe(0);
    expect(two.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(filesIn(out)).toEqual(oneFiles);
    expect(Object.keys(oneFiles).length).toBeGreaterThan(0);
  });

  it('prints the same bytes for a user system on one worker and on two, compiled, each worker loading the module', () => {
    const out = join(dir, 'system');
    const args = ['test', '--system', 'examples/async-kv/system.ts', '--runs', '60', '--seed', '3', '--out', out];
    const one = compiled(...args, '--workers', '1');
    const oneFiles = filesIn(out);
    const two = compiled(...args, '--workers', '2');
    expect(two.stderr).toBe('');
    expect(one.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stdout).toContain('=> caught, as expected');
    expect(filesIn(out)).toEqual(oneFiles);
  });

  it('draws the one plain mixture with --no-swarm, the same bytes on one worker and on two, and other bytes than by default', () => {
    const args = ['test', '--preset', 'follower-reads', '--runs', '40', '--seed', '5', '--out', join(dir, 'plain')];
    const one = leaderlog(...args, '--no-swarm', '--workers', '1');
    const two = leaderlog(...args, '--no-swarm', '--workers', '2');
    expect(one.status).toBe(0);
    expect(one.stdout).toContain('=> caught, as expected');
    expect(two.stdout).toBe(one.stdout);
    expect(leaderlog(...args, '--workers', '1').stdout).not.toBe(one.stdout);
  });

  it('refuses --workers that is not a whole number of at least 1', () => {
    const { status, stderr } = leaderlog('test', '--preset', 'safe', '--runs', '1', '--workers', '0');
    expect(status).toBe(3);
    expect(stderr).toContain('--workers must be a whole number of at least 1, got "0"');
  });

  it('merges shard reports into one table and one exit code, and refuses a shard given twice', () => {
    const shard = (i: number) => {
      const { stdout } = leaderlog(
        'test',
        '--preset',
        'safe,follower-reads',
        '--runs',
        '40',
        '--shard',
        `${i}/2`,
        '--json',
        '--workers',
        '1',
        '--out',
        join(dir, 'shards'),
      );
      const file = join(dir, `shard-${i}.json`);
      writeFileSync(file, stdout);
      return file;
    };
    const files = [shard(1), shard(2)];
    const merged = leaderlog('merge', ...files);
    expect(merged.status).toBe(0);
    expect(merged.stdout).toMatch(/^leaderlog merge: seed 1, 40 runs per preset, all 2 shards/);
    expect(merged.stdout).toMatch(/safe\s+nothing \(correct\)\s+linearizable\s+held over 40 runs/);
    expect(merged.stdout).toMatch(/no-stale-read\s+counterexample in shard \d at run \d+, shrunk to \d+ steps?: stale-read/);
    expect(merged.stdout).toContain('2 presets: 1 held, 1 caught');
    const half = leaderlog('merge', files[0]);
    expect(half.stdout).toContain('shards 1 of 2 (INCOMPLETE');
    const twice = leaderlog('merge', files[0], files[0]);
    expect(twice.status).toBe(3);
    expect(twice.stderr).toContain('shard 1/2 is given twice');
    expect(leaderlog('merge', join(dir, 'none.json')).stderr).toContain('cannot read the report: no such file');
  });
});
