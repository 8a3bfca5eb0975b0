import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// `leaderlog test --system` and `leaderlog replay` of what it wrote: a user's module, loaded through
// tsx, tested like a preset; a module that is missing, exports nothing or misbehaves is bad input.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = 'src/commands/fixtures/systems';

function leaderlog(...args: string[]) {
  const result = spawnSync(process.execPath, ['bin/leaderlog.js', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'leaderlog-test-system-'));
// Modules written here are ESM, as in a user's `"type": "module"` project.
writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A single node that keeps nothing on disk: a crash loses every acknowledged write.
const LOSSY = `import { defineSystem } from ${JSON.stringify(join(ROOT, 'src/index.ts'))};
export const lossy = defineSystem<Map<number, number>, null>({
  name: 'lossy',
  nodes: 1,
  workloads: ['register'],
  knownFor: ['lost-write'],
  init: () => new Map(),
  receive(store, m, ctx) {
    const key = m.body.key as number;
    if (m.body.type === 'read') return ctx.reply(m, { type: 'read_ok', value: store.get(key) ?? null });
    if (m.body.type === 'cas') return ctx.reply(m, { type: 'error', code: 10 });
    store.set(key, m.body.value as number);
    ctx.reply(m, { type: 'write_ok' });
  },
  tick: () => {},
  durable: () => null,
  restart: () => new Map(),
});
`;

describe('leaderlog test --system', () => {
  it('tests a correct system: what it cannot be judged by is not applicable, never held', () => {
    const { status, stdout, stderr } = leaderlog('test', '--system', `${FIXTURES}/single.ts`, '--runs', '40', '--out', join(dir, 'none'));
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout.split('\n')[0]).toBe('leaderlog test: seed 1, 40 runs per system');
    expect(stdout).toMatch(/^single\s+nothing \(correct\)\s+linearizable\s+held over 40 runs$/m);
    expect(stdout).toMatch(/single-leader\s+not applicable: the system does not say which role/);
    expect(stdout).toMatch(/invariants\s+not applicable: the system declares no invariants/);
    expect(stdout).toMatch(/converges\s+not applicable: the system has no settled hook/);
    expect(stdout).toContain('1 system: 1 held');
  });

  it('catches the example flawed system and reports JSON naming its module and source hash', () => {
    const { status, stdout } = leaderlog(
      'test',
      '--system',
      'examples/async-kv/system.ts',
      '--runs',
      '100',
      '--json',
      '--out',
      join(dir, 'async'),
    );
    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.presets[0]).toMatchObject({ preset: 'async-kv', verdict: 'caught', system: { module: 'examples/async-kv/system.ts' } });
    expect(report.presets[0].named).toEqual(expect.arrayContaining(['lost-write', 'dual-leader', 'stale-read']));
    expect(report.presets[0].properties.find((p: { property: string }) => p.property === 'invariants')).toMatchObject({
      status: 'not-applicable',
      runs: 0,
    });
  });

  it('replays what it wrote, and warns (still replaying) once the source has changed', () => {
    const module = join(dir, 'lossy.ts');
    writeFileSync(module, LOSSY);
    const out = join(dir, 'lossy-out');
    const tested = leaderlog('test', '--system', module, '--runs', '200', '--out', out);
    expect(tested.stderr).toBe('');
    expect(tested.status).toBe(0);
    expect(tested.stdout).toContain('=> caught, as expected');
    const file = join(out, 'lossy.no-lost-write.seed-1.json');
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.system).toMatchObject({ name: 'lossy', module, hash: expect.stringMatching(/^sha256:/) });

    const same = leaderlog('replay', file);
    expect(same.stderr).toBe('');
    expect(same.status).toBe(1);
    expect(same.stdout).toContain('History: the same as saved, event for event');
    expect(same.stdout).toContain('no-lost-write: VIOLATED: lost-write');

    appendFileSync(module, '// changed\n');
    const changed = leaderlog('replay', file);
    expect(changed.status).toBe(1);
    expect(changed.stderr).toMatch(
      /^leaderlog: warning: .*lossy\.ts changed since the counterexample was written \(source hash sha256:\w+, saved sha256:\w+\); replaying anyway\n$/,
    );
    expect(changed.stdout).toContain('no-lost-write: VIOLATED: lost-write');
  });

  it.each([
    ['missing.ts', /missing\.ts: cannot load the system: no such file$/],
    ['none.ts', /none\.ts: exports no system: export an object with name, nodes, init, receive, tick, durable and restart/],
    [
      'throws.ts',
      /throws\.ts: system throws: n1's receive handling \{"src":"c\d","dest":"n1","body":\{"type":"write",.*\} threw at step \d+: TypeError: cannot write today$/,
    ],
    ['malformed.ts', /malformed\.ts: system malformed: n1 sent a malformed message at step \d+: .* \(a body needs a string "type"\)$/],
    ['nowhere.ts', /nowhere\.ts: system nowhere: n1 sent to "n9", which does not exist \(nodes n1; clients c1\.\.c3\) at step \d+$/],
    ['flaky.ts', /flaky\.ts: flaky is not deterministic: the same schedule run twice gave different histories from event \d+ on/],
  ])('exits 3 with one line for a bad module: %s', (name, message) => {
    const { status, stdout, stderr } = leaderlog('test', '--system', `${FIXTURES}/${name}`, '--runs', '20', '--out', join(dir, 'bad'));
    expect(status).toBe(3);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toHaveLength(2);
    expect(stderr.trimEnd()).toMatch(message);
  });

  it('says where a module does not compile, in one line', () => {
    const module = join(dir, 'syntax.ts');
    writeFileSync(module, 'export const broken = {;\n');
    const { status, stderr } = leaderlog('test', '--system', module);
    expect(status).toBe(3);
    expect(stderr).toBe(`leaderlog: ${module}: cannot load the system: ${module}:1:23: ERROR: Expected identifier but found ";"\n`);
  });

  it('refuses --system together with --preset', () => {
    const { status, stderr } = leaderlog('test', '--system', `${FIXTURES}/single.ts`, '--preset', 'safe');
    expect(status).toBe(3);
    expect(stderr).toMatch(/give --system or --preset\/--all, not both/);
  });
});
