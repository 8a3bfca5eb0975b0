import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SAVED = 'properties/counterexamples/async-failover.json';

function leaderlog(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('leaderlog replay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leaderlog-replay-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const saved = JSON.parse(readFileSync(join(ROOT, SAVED), 'utf8'));
  const variant = (name: string, change: (data: typeof saved) => void) => {
    const data = structuredClone(saved);
    change(data);
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(data));
    return file;
  };

  it('replays a saved counterexample: timeline, same history, the violation and its proof, exit 1', () => {
    const { status, stdout, stderr } = leaderlog('replay', SAVED);
    expect(stderr).toBe('');
    expect(status).toBe(1);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`${SAVED}: async-failover, property no-lost-write (seed 1, path ${saved.path})`);
    expect(lines[1]).toMatch(/^2 steps, then the finale\. The leader acknowledges a write/);
    expect(lines).toContain('   1  promote n2                            n2 candidate e2');
    expect(lines).toContain('   2  p0 append key 0                       p0 invokes append key 0 1 at n1; p0 ok append at n1 e1');
    expect(stdout).toMatch(/\n {2}\d+ {2}deliver vote-reply n3→n2 e2 \(yes\) +n2 leader e2\n/);
    expect(stdout).toContain('finale: heal, restart, settle, read every key');
    expect(stdout).toContain(`History: the same as saved, event for event (${saved.history.length} events).`);
    expect(stdout).toContain('no-lost-write: VIOLATED: lost-write');
    expect(stdout).toMatch(/ {2}lost-write on key 0: append #0 of 1 was acknowledged/);
    expect(stdout).toMatch(/ {6}#0 {2}process 0 {2}append 1 {2}ok {2}key 0 {2}node n1 {2}epoch 1 {2}events 5-6 {2}steps 2-2/);
    expect(lines.at(-2)).toBe('The violation reproduces (exit 1).');
  });

  it('writes the timeline page with --html and reports JSON with --json', () => {
    const page = join(dir, 'page.html');
    const { status, stdout } = leaderlog('replay', SAVED, '--json', '--html', page);
    expect(status).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      preset: 'async-failover',
      property: 'no-lost-write',
      steps: 2,
      history: { sameAsSaved: true, events: saved.history.length },
      verdict: { status: 'violated', names: ['lost-write'] },
      sameFailure: true,
      exitCode: 1,
    });
    expect(report.anomalies[0]).toMatchObject({
      kind: 'lost-write',
      operations: [{ id: 0, f: 'append', result: 'ok', node: 'n1' }, { f: 'read' }],
    });
    const html = readFileSync(page, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('leaderlog replay: async-failover, no-lost-write');
  });

  it('exits 0 when the violation no longer reproduces, and says when the history changed', () => {
    const { status, stdout } = leaderlog(
      'replay',
      variant('now-safe.json', (d) => (d.preset = 'safe')),
    );
    expect(status).toBe(0);
    expect(stdout).toMatch(/History: DIFFERS from the saved one from event \d+ on/);
    expect(stdout).toContain('no-lost-write: holds now: the saved violation (lost-write) no longer reproduces.');
    expect(stdout).toContain('The violation no longer reproduces (exit 0).');
    const tampered = leaderlog(
      'replay',
      variant('tampered.json', (d) => (d.history[5].value = 7)),
    );
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toContain('History: DIFFERS from the saved one from event 5 on');
  });

  it.each([
    ['missing.json', null, /missing\.json: cannot read the counterexample: no such file/],
    ['a-folder', 'folder', /a-folder: cannot read the counterexample: it is a directory/],
    ['garbage.json', '{"format": ', /garbage\.json:1:12: not valid JSON: expected a value/],
    ['history.json', '{"type":"invoke"}', /history\.json: expected "format": "leaderlog-counterexample"/],
    ['action.json', 'schedule', /action\.json: "schedule": action 1: unknown kind "fly"/],
  ])('exits 3 on a bad file, naming it: %s', (name, content, message) => {
    const file = content === 'schedule' ? variant(name, (d) => (d.schedule = [{ kind: 'fly' }])) : join(dir, name);
    if (content === 'folder') mkdirSync(file);
    else if (content !== null && content !== 'schedule') writeFileSync(file, content);
    const { status, stdout, stderr } = leaderlog('replay', file);
    expect(status).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.split('\n')).toHaveLength(2);
  });
});
