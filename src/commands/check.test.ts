import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KNOSSOS = 'history/fixtures/knossos';
const GOOD = `${KNOSSOS}/cas-register/good/memstress3-1.edn`;
const BAD = `${KNOSSOS}/cas-register/bad/cas-failure.edn`;

function leaderlog(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'check', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('leaderlog check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leaderlog-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('exits 0 for a linearizable history, inferring the model', () => {
    const { status, stdout, stderr } = leaderlog(GOOD);
    expect(status).toBe(0);
    expect(stdout).toMatch(
      /^history\/fixtures\/knossos\/cas-register\/good\/memstress3-1\.edn: valid as a cas-register \(305 operations: \d+ ok, \d+ fail, \d+ info; \d+ steps, [\d.]+ ms\)\n$/,
    );
    expect(stderr).toBe('');
  });

  it('exits 1 for a violation and prints its evidence: the prefix tail, the state, the stuck operations', () => {
    const { status, stdout } = leaderlog(BAD);
    expect(status).toBe(1);
    expect(stdout).toContain('invalid as a cas-register');
    expect(stdout).toMatch(/At best 180 operations linearize; the last 8:\n( {4}#\d+ .*\n){8}/);
    expect(stdout).toContain('leaving the state 2, in which none of these can come next:');
    expect(stdout).toContain('#244  process 70  read -> 0  ok  events 488-491');
    // Not a terminal: no colours.
    expect(stdout).not.toContain('\u001b[');
  });

  it('exits 2 when the budget runs out before a verdict', () => {
    const { status, stdout } = leaderlog(BAD, '--budget', '10');
    expect(status).toBe(2);
    expect(stdout).toContain('unknown as a cas-register');
    expect(stdout).toContain('history: unknown: the budget of 10 steps ran out');
  });

  it('exits 1 when any of several files is invalid, with a summary table', () => {
    const { status, stdout } = leaderlog(GOOD, BAD, `${KNOSSOS}/mutex/bad/etcd.edn`, '--budget', '1000000');
    expect(status).toBe(1);
    expect(stdout).toMatch(/\nfile +verdict +model +anomalies +operations +ms\n/);
    expect(stdout).toMatch(/memstress3-1\.edn +valid +cas-register +0 +305 +[\d.]+\n/);
    expect(stdout).toMatch(/etcd\.edn +invalid +mutex +0 +563 +[\d.]+\n/);
    expect(stdout).toContain('3 files: 1 valid, 2 invalid');
  });

  it('prints JSON in the documented schema', () => {
    const { status, stdout } = leaderlog(GOOD, BAD, '--json');
    expect(status).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ version: 1, verdict: 'invalid' });
    const [good, bad] = report.files;
    // The verdict alone: the explanation only with --explain.
    expect(Object.keys(good).sort()).toEqual([
      'explainMillis',
      'file',
      'initialValue',
      'millis',
      'model',
      'operations',
      'partitions',
      'steps',
      'verdict',
      'workload',
    ]);
    expect(good).toMatchObject({ file: GOOD, verdict: 'valid', model: 'cas-register', initialValue: null });
    expect(bad.explainMillis).toBe(0);
    const explained = JSON.parse(leaderlog(GOOD, BAD, '--json', '--explain').stdout).files;
    expect(Object.keys(explained[0])).toContain('explanation');
    expect(good.operations.ok + good.operations.fail + good.operations.info).toBe(305);
    expect(good.millis).toBeGreaterThan(0);
    expect(good.partitions).toHaveLength(1);
    expect(good.partitions[0].linearization.length).toBe(good.partitions[0].operations);
    expect(bad.partitions[0]).toMatchObject({ verdict: 'invalid', stateAfterPrefix: '2', stuck: [232, 244] });
    expect(bad.partitions[0].longestPrefix).toHaveLength(180);
    expect(bad.partitions[0].stuckOperations[1]).toMatchObject({ id: 244, process: 70, f: 'read', output: 0, result: 'ok' });
  });

  it('--workers N prints what one worker prints, file for file (the times aside)', () => {
    const files = [
      GOOD,
      BAD,
      `${KNOSSOS}/mutex/bad/etcd.edn`,
      'history/fixtures/porcupine-kv/c10-bad.edn',
      write('broken.edn', '{:process 0, :type :invoke'),
    ];
    // Times differ from run to run, and the table's column widths with them.
    const untimed = (text: string) =>
      text
        .replace(/[\d.]+ ms\)/g, 'ms)')
        .replace(/ +[\d.]+$/gm, '')
        .replace(/ +/g, ' ');
    const one = leaderlog(...files, '--workers', '1');
    const two = leaderlog(...files, '--workers', '2');
    expect(two.status).toBe(one.status);
    expect(two.stderr).toBe(one.stderr);
    expect(untimed(two.stdout)).toBe(untimed(one.stdout));
    const json = (out: string) =>
      JSON.stringify(JSON.parse(out), (key, value) => (key === 'millis' || key === 'explainMillis' ? 0 : value));
    expect(json(leaderlog(...files, '--json', '--explain', '--workers', '2').stdout)).toBe(
      json(leaderlog(...files, '--json', '--explain', '--workers', '1').stdout),
    );
    expect(leaderlog(GOOD, '--workers', '0').status).toBe(3);
    // One file of many keys (2,024 operations over 10 keys): its keys go to the workers.
    const keyed = 'history/fixtures/porcupine-kv/c50-bad.edn';
    expect(json(leaderlog(keyed, '--json', '--workers', '2').stdout)).toBe(json(leaderlog(keyed, '--json', '--workers', '1').stdout));
  });

  it('--first-failure stops at the first key proved not linearizable, smallest keys first', () => {
    // Key c (one read of a value never written) is the smallest invalid key; b, larger, is invalid too.
    const history = write(
      'keys.edn',
      [
        '{:process 0, :type :invoke, :f :write, :key :a, :value 1}',
        '{:process 0, :type :ok, :f :write, :key :a, :value 1}',
        '{:process 0, :type :invoke, :f :write, :key :b, :value 1}',
        '{:process 0, :type :ok, :f :write, :key :b, :value 1}',
        '{:process 1, :type :invoke, :f :read, :key :b, :value nil}',
        '{:process 1, :type :ok, :f :read, :key :b, :value 2}',
        '{:process 1, :type :invoke, :f :read, :key :c, :value nil}',
        '{:process 1, :type :ok, :f :read, :key :c, :value 3}',
      ].join('\n'),
    );
    const all = leaderlog(history, '--json');
    expect(JSON.parse(all.stdout).files[0].partitions.map((p: { key: string }) => p.key)).toEqual(['a', 'b', 'c']);
    const first = leaderlog(history, '--json', '--first-failure');
    expect(first.status).toBe(1);
    const [file] = JSON.parse(first.stdout).files;
    expect(file.verdict).toBe('invalid');
    expect(file.partitions.map((p: { key: string; verdict: string }) => [p.key, p.verdict])).toEqual([
      ['a', 'valid'],
      ['c', 'invalid'],
    ]);
    expect(file.unchecked).toBe(1);
    expect(file.explanation).toBeUndefined();
    const text = leaderlog(history, '--first-failure');
    expect(text.stdout).toContain('3 keys (1 unchecked after the first failure)');
    expect(text.stdout).toContain('key c: not linearizable.');
    expect(text.stdout).not.toContain('key b');
    expect(text.stdout).not.toContain('anomal');
  });

  it('checks a jepsen.independent history key by key with --keyed, ordered by time with --sort-by-time', () => {
    const history = write(
      'independent.edn',
      [
        '{:process 1, :type :invoke, :f :read, :value [:b nil], :time 30}',
        '{:process 0, :type :invoke, :f :write, :value [:a 1], :time 10}',
        '{:process 0, :type :ok, :f :write, :value [:a 1], :time 20}',
        '{:process 1, :type :ok, :f :read, :value [:b 2], :time 40}',
        '{:process 2, :type :invoke, :f :read, :value [:a nil], :time 50}',
        '{:process 2, :type :ok, :f :read, :value [:a 1], :time 60}',
      ].join('\n'),
    );
    const { status, stdout } = leaderlog(history, '--keyed', '--sort-by-time', '--json');
    expect(status).toBe(1);
    const [file] = JSON.parse(stdout).files;
    expect(file.model).toBe('keyed register');
    expect(file.partitions.map((p: { key: string; verdict: string }) => [p.key, p.verdict])).toEqual([
      ['a', 'valid'],
      ['b', 'invalid'],
    ]);
    const text = leaderlog(history, '--keyed', '--sort-by-time').stdout;
    expect(text).toContain(
      'key b: not linearizable.\n  From the initial state nil, none of these can come first:\n    #1  process 1  read -> 2  ok  key b',
    );
  });

  it('takes --model and --format, and --time-limit', () => {
    const jsonl = write(
      'h.jsonl',
      '{"type":"invoke","process":0,"f":"write","value":1}\n{"type":"ok","process":0,"f":"write","value":1}\n',
    );
    const { status, stdout } = leaderlog(jsonl, '--model', 'cas-register', '--format', 'jsonl', '--time-limit', '30');
    expect(status).toBe(0);
    expect(stdout).toMatch(/valid as a cas-register \(1 operation: 1 ok, 0 fail, 0 info; 1 step, [\d.]+ ms\)\n$/);
  });

  describe('exits 3 on bad input, with the file and line and no stack trace', () => {
    it('a missing file', () => {
      const { status, stderr } = leaderlog(join(dir, 'nothing.edn'));
      expect(status).toBe(3);
      expect(stderr).toBe(`leaderlog: ${join(dir, 'nothing.edn')}: cannot read the history file: no such file\n`);
    });

    it('a file that does not parse, even among good ones', () => {
      const broken = write('broken.edn', '{:process 0, :type :invoke, :f :write, :value 1}\n{:process 0, :type :ok :f :write\n');
      const { status, stdout, stderr } = leaderlog(GOOD, broken);
      expect(status).toBe(3);
      expect(stderr).toMatch(new RegExp(`^leaderlog: ${broken}:3:1: .+\\n$`));
      expect(stdout).toMatch(/broken\.edn +bad input/);
      expect(stdout).toContain('2 files: 1 valid, 1 bad input');
    });

    it('an operation the model does not take, at its line', () => {
      const history = write(
        'cas.edn',
        '{:process 0, :type :invoke, :f :write, :value 1}\n{:process 0, :type :ok, :f :write, :value 1}\n{:process 1, :type :invoke, :f :cas, :value [1 2]}\n',
      );
      const { status, stderr } = leaderlog(history, '--model', 'register');
      expect(status).toBe(3);
      expect(stderr).toBe(
        `leaderlog: ${history}:3:1: process 1 invokes cas, which the register model does not take (it takes read, write, get, put)\n`,
      );
    });

    it('keeps its exit code when stderr is closed before the message is written', async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'check', join(dir, 'nothing.edn')], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr.destroy();
      const status = await new Promise((resolve) => child.on('close', resolve));
      expect(status).toBe(3);
    });

    it('a usage error: one line saying what is wrong, not the whole help', () => {
      const typo = leaderlog(GOOD, '--consistency', 'linearisable');
      expect(typo.status).toBe(3);
      expect(typo.stdout).toBe('');
      expect(typo.stderr).toMatch(
        /^leaderlog: option '--consistency <level>' argument 'linearisable' is invalid\. Allowed choices are linearizable, sequential, .*\n\(add --help to see the options\)\n$/,
      );
    });

    it('an unknown model, or a budget that is not a number', () => {
      const model = leaderlog(GOOD, '--model', 'queue');
      expect(model.status).toBe(3);
      expect(model.stderr).toMatch(/^leaderlog: unknown model "queue"; models: register, keyed register, cas-register/);
      const budget = leaderlog(GOOD, '--budget', 'lots');
      expect(budget.status).toBe(3);
      expect(budget.stderr).toContain("argument 'lots' is invalid. expected a whole number of at least 1");
      for (const { stderr } of [model, budget]) expect(stderr).not.toMatch(/\n\s+at /);
    });
  });
});
