import type { SpawnSyncOptions } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readJsonl } from '../history/formats/jsonl.ts';

// The CLI under hostile and sloppy use, each case the small file that once broke it: a full disk, an
// unwritable place, standard input, control characters, mixed formats, values JSON cannot hold, signals.

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = ['--import', 'tsx', 'src/cli.ts'];
const SAVED = join(ROOT, 'properties/counterexamples/async-failover.json');

function run(args: readonly string[], options: SpawnSyncOptions = {}) {
  const result = spawnSync(process.execPath, [...CLI, ...args], { cwd: ROOT, encoding: 'utf8', ...options });
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** The CLI with a file size limit of 1 KiB: as a full disk, writes past it fail (EFBIG, the signal ignored). */
function onFullDisk(args: readonly string[]) {
  const quoted = [process.execPath, ...CLI, ...args].map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
  const result = spawnSync('sh', ['-c', `trap '' XFSZ; ulimit -f 2; exec ${quoted}`], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const register = (value: string, read = value) =>
  [
    `{:type :invoke, :process 0, :f :write, :value ${value}}`,
    `{:type :ok, :process 0, :f :write, :value ${value}}`,
    '{:type :invoke, :process 1, :f :read, :value nil}',
    `{:type :ok, :process 1, :f :read, :value ${read}}`,
  ].join('\n');

describe('leaderlog under hostile and sloppy use', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leaderlog-hostile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const history = file('h.edn', register('1'));

  it('a full disk: check --html, replay --html, test --out and convert -o exit 3 naming the output, leaving no temporary file', () => {
    const out = join(dir, 'full');
    mkdirSync(out);
    const cases: [string[], string][] = [
      [['check', history, '--html', join(out, 'page.html')], 'page.html'],
      [['replay', SAVED, '--html', join(out, 'replay.html')], 'replay.html'],
      [['test', '--preset', 'async-failover', '--runs', '5', '--out', join(out, 'ce')], 'ce'],
      [
        ['convert', join(ROOT, 'history/fixtures/knossos/cas-register/good/mongodb-v0-ack-rollback-8.edn'), '-o', join(out, 'h.jsonl')],
        'h.jsonl',
      ],
    ];
    for (const [args, name] of cases) {
      const { status, stderr } = onFullDisk(args);
      expect(stderr, args.join(' ')).toMatch(
        new RegExp(`^leaderlog: ${out}/${name}.*: cannot write.*: the file would be larger than the file size limit allows\\n$`),
      );
      expect(status).toBe(3);
    }
    const left = (folder: string): string[] =>
      readdirSync(folder, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? left(join(folder, e.name)) : [e.name]));
    expect(left(out)).toEqual([]);
  });

  it('a failed write to standard output is one line and exit 4, never a verdict', () => {
    for (const args of [
      ['check', '--json', history],
      ['convert', history],
      ['replay', SAVED],
    ]) {
      const full = spawnSync('sh', ['-c', `exec "$@" > /dev/full`, 'sh', process.execPath, ...CLI, ...args], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(full.stderr, args.join(' ')).toBe('leaderlog: cannot write to standard output: no space left on the device\n');
      expect(full.status).toBe(4);
    }
  });

  it('folders under /proc fail at once, not in an endless mkdir loop', () => {
    const pages = run(['check', '--html', '/proc/leaderlog-pages', history, history]);
    expect(pages.stderr).toBe('leaderlog: /proc/leaderlog-pages: cannot make the folder for the pages: folders cannot be made there\n');
    expect(pages.status).toBe(3);
    const counterexamples = run(['test', '--preset', 'async-failover', '--runs', '5', '--out', '/proc/leaderlog-ce']);
    expect(counterexamples.stderr).toBe(
      'leaderlog: /proc/leaderlog-ce: cannot make the folder for counterexamples: folders cannot be made there\n',
    );
    expect(counterexamples.status).toBe(3);
  });

  it('- is standard input for check and convert', () => {
    const text = readFileSync(history);
    const checked = run(['check', '-'], { input: text });
    expect(checked.stdout).toMatch(/^\(standard input\): valid as a register/);
    expect(checked.status).toBe(0);
    const converted = run(['convert', '-'], { input: text });
    expect(converted.status).toBe(0);
    expect(readJsonl(converted.stdout).events.map((e) => e.value)).toEqual([1, 1, null, 1]);
    const bad = run(['check', '-'], { input: '{:type :ok' });
    expect(bad.stderr).toMatch(/^leaderlog: \(standard input\):1:11: /);
    expect(run(['check', '-', '-']).stderr).toBe('leaderlog: standard input (-) can be read only once\n');
  });

  it('control characters in keys, functions and node names are escaped in text output and errors', () => {
    const esc = '\u001b]0;owned\u0007\u001b[2J';
    const keyed = [
      { type: 'invoke', process: 0, f: 'write', value: 1, key: `k${esc}` },
      { type: 'ok', process: 0, f: 'write', value: 1, key: `k${esc}` },
      { type: 'invoke', process: 1, f: 'read', value: null, key: `k${esc}` },
      { type: 'ok', process: 1, f: 'read', value: 2, key: `k${esc}` },
    ];
    const checked = run(['check', file('esc.jsonl', keyed.map((e) => JSON.stringify(e)).join('\n'))]);
    expect(checked.status).toBe(1);
    expect(checked.stdout).toContain('k\\x1b]0;owned\\x07\\x1b[2J');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test asserts no control character reaches the terminal
    expect(checked.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    const badF = run(['check', file('esc-f.jsonl', JSON.stringify({ ...keyed[0], f: `w${esc}` }))]);
    expect(badF.status).toBe(3);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test asserts no control character reaches the terminal
    expect(badF.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(badF.stderr).toContain('w\\x1b]0;owned\\x07');
    const badName = run(['check', join(dir, `no\nsuch${esc}`)]);
    expect(badName.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('a log with JSON Lines or EDN events in it is refused, naming the first such line and how many', () => {
    const mixed = file(
      'mixed.txt',
      [
        '0\t:invoke\t:write\t1',
        '0\t:ok\t:write\t1',
        '{"type":"invoke","process":1,"f":"read","value":null}',
        '{:type :ok, :process 1, :f :read, :value 2}',
        '',
      ].join('\n'),
    );
    const refused = run(['check', mixed]);
    expect(refused.stderr).toMatch(
      /^leaderlog: .*mixed\.txt:3:1: this line looks like an event in another format .*; 2 such lines would be left out: /,
    );
    expect(refused.status).toBe(3);
    const skipped = run(['check', '--skip-foreign-lines', mixed]);
    expect(skipped.stderr).toMatch(/^leaderlog: .*mixed\.txt:3: warning: left out 2 lines that look like events in another format/);
    expect(skipped.status).toBe(0);
  });

  it('convert refuses what JSON cannot hold, naming the line, and writes nothing', () => {
    for (const [value, name] of [
      ['##NaN', '##NaN'],
      ['##Inf', '##Inf'],
      ['[1 ##-Inf]', '##-Inf'],
    ]) {
      const out = join(dir, 'never.jsonl');
      const { status, stdout, stderr } = run(['convert', file('inf.edn', register(value)), '-o', out]);
      expect(stderr).toMatch(new RegExp(`^leaderlog: .*inf\\.edn:1:1: the value holds ${name}: JSON Lines cannot hold it`));
      expect(status).toBe(3);
      expect(stdout).toBe('');
      expect(readdirSync(dir).filter((n) => n.startsWith('never'))).toEqual([]);
    }
    const time = run(['convert', file('time.edn', `{:type :invoke, :process 0, :f :read, :value nil, :time ${'9'.repeat(500)}}`)]);
    expect(time.stderr).toMatch(/time\.edn:1:\d+: expected :time to be a finite number of nanoseconds/);
    expect(time.status).toBe(3);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`leaderlog test run as the package's bin ends on ${signal} at once, leaving no temporary file`, async () => {
      const out = join(dir, `signal-${signal}`);
      const child = spawn(process.execPath, ['bin/leaderlog.js', 'test', '--preset', 'async-failover', '--runs', '1000000', '--out', out], {
        cwd: ROOT,
        stdio: 'ignore',
      });
      // Well into the campaign: loading takes a while on a busy machine.
      await new Promise((resolve) => setTimeout(resolve, 4000));
      child.kill(signal);
      const [code, received] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
      expect(code).toBeNull();
      expect(received).toBe(signal);
      let left: string[] = [];
      try {
        left = readdirSync(out).filter((name) => name.endsWith('.tmp'));
      } catch {
        // No folder: nothing was written.
      }
      expect(left).toEqual([]);
    }, 60_000);
  }
});
