import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readJsonl } from '../../history/formats/jsonl.ts';
import { readEvents } from '../../history/formats/read-history.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const READERS = join(ROOT, 'history/fixtures/readers');

function leaderlog(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('leaderlog convert', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leaderlog-convert-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a Jepsen log as JSON Lines on stdout', () => {
    const file = join(READERS, 'log4j.txt');
    const { status, stdout, stderr } = leaderlog('convert', file);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(readJsonl(stdout).events).toEqual(readEvents(readFileSync(file, 'utf8')).events);
    expect(stdout.split('\n')[0]).toBe('{"type":"invoke","process":0,"f":"read","value":null}');
  });

  it('writes to -o, with --keyed and --sort-by-time', () => {
    const out = join(dir, 'keyed.jsonl');
    const { status, stdout } = leaderlog('convert', join(READERS, 'independent.edn'), '--keyed', '--sort-by-time', '-o', out);
    expect(status).toBe(0);
    expect(stdout).toBe('');
    const events = readJsonl(readFileSync(out, 'utf8')).events;
    expect(events).toHaveLength(11);
    expect(events[0]).toEqual({ type: 'invoke', process: 0, f: 'write', value: 3, key: 0, time: 1000 });
    expect(events.map((e) => e.time)).toEqual([...events.map((e) => e.time)].sort((a, b) => (a as number) - (b as number)));
  });

  it('keeps big integers exact through EDN to JSON Lines', () => {
    const { status, stdout } = leaderlog('convert', join(READERS, 'history.edn'));
    expect(status).toBe(0);
    expect(stdout).toContain('"value":18446744073709551617');
  });

  it('stops quietly when the reader closes the pipe early', async () => {
    const big = join(dir, 'big.txt');
    writeFileSync(big, Array.from({ length: 40_000 }, (_, i) => `${i % 50}\t:${i % 100 < 50 ? 'invoke' : 'ok'}\t:write\t${i}\n`).join(''));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'convert', big], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (data) => (stderr += data));
    child.stdout.once('data', () => child.stdout.destroy());
    const status = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('exits 3 on garbage with one line naming file:line:column, and leaves no output file', () => {
    const bad = join(dir, 'bad.edn');
    writeFileSync(bad, '[{:type :invoke, :process 0, :f :read}\n {:type :ok, :process 0 :f :read, :value [1 2}]\n');
    const out = join(dir, 'never.jsonl');
    const { status, stdout, stderr } = leaderlog('convert', bad, '-o', out);
    expect(status).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toBe(`leaderlog: ${bad}:2:46: expected a closing ] for the vector opened at 2:42, found "}"\n`);
    expect(readdirSync(dir).filter((name) => name.startsWith('never'))).toEqual([]);
  });

  it('exits 3 on a file that is no history at all', () => {
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, Buffer.from([0, 1, 2, 255, 254, 10, 65, 66]));
    const { status, stderr } = leaderlog('convert', junk);
    expect(status).toBe(3);
    expect(stderr).toMatch(new RegExp(`^leaderlog: ${junk.replace(/[.]/g, '\\.')}:1:1: a NUL byte: this is binary data, .*\\n$`));
    expect(stderr).not.toMatch(/\n./);
  });

  it('exits 3 for a missing file and for an unknown --format', () => {
    const missing = leaderlog('convert', join(dir, 'missing.edn'));
    expect(missing.status).toBe(3);
    expect(missing.stderr).toContain('missing.edn: cannot read the history file: no such file');
    const format = leaderlog('convert', join(READERS, 'history.txt'), '--format', 'xml');
    expect(format.status).toBe(3);
    expect(format.stderr).toContain("argument 'xml' is invalid");
  });

  it('exits 3 when the output path is a folder, leaving no temporary file beside it', () => {
    const folder = join(dir, 'out-folder');
    mkdirSync(folder);
    const { status, stderr } = leaderlog('convert', join(READERS, 'history.txt'), '-o', folder);
    expect(status).toBe(3);
    expect(stderr).toBe(`leaderlog: ${folder}: cannot write the output file: it is a folder\n`);
    expect(readdirSync(dir).filter((name) => name.startsWith('out-folder'))).toEqual(['out-folder']);
  });

  it('exits 3 when the output directory does not exist', () => {
    const { status, stderr } = leaderlog('convert', join(READERS, 'history.txt'), '-o', join(dir, 'no/such/dir/out.jsonl'));
    expect(status).toBe(3);
    expect(stderr).toContain('cannot write the output file');
  });
});
