import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { missingForRedis } from '../record/redis/environment.ts';

// `leaderlog record redis` as a user runs it: usage errors, a missing redis-server, and an interrupt in
// the middle of a run that must leave no server and no firewall table behind.

const repo = join(import.meta.dirname, '..', '..');
const cli = join(repo, 'src', 'cli.ts');
const scratch = mkdtempSync(join(tmpdir(), 'leaderlog-record-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env, onStart?: (pid: number) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { env, cwd: repo });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('spawn', () => onStart?.(child.pid as number));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('leaderlog record redis: usage', () => {
  test('an unknown fault is bad usage (exit 3), naming the choices', async () => {
    const run = await runCli(['record', 'redis', '--faults', 'pause,meteor']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('unknown fault "meteor"');
    expect(run.stderr).toContain('split-brain');
  });

  test('faults that need a replica on a single node are bad usage', async () => {
    const run = await runCli(['record', 'redis', '--nodes', '1', '--faults', 'failover']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('needs a replica');
  });

  test('a non-number is bad usage', async () => {
    const run = await runCli(['record', 'redis', '--clients', 'many']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('--clients');
  });

  test('without redis-server on the PATH it is an environment failure (exit 4) with a clear message', async () => {
    const bin = join(scratch, 'bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(process.execPath, join(bin, 'node'));
    const run = await runCli(['record', 'redis', '--duration', '1'], { ...process.env, PATH: bin });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('redis-server is not installed');
  });
});

const missingServer = await missingForRedis(false);

test.skipIf(missingServer.length > 0)('an --out folder that cannot be made is bad usage (exit 3), before any server starts', async () => {
  const file = join(scratch, 'a-file');
  writeFileSync(file, '');
  const run = await runCli(['record', 'redis', '--duration', '0.1', '--out', join(file, 'run')]);
  expect(run.code).toBe(3);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(`leaderlog: ${join(file, 'run')}: cannot make the output folder: part of its path is a file, not a folder\n`);
});

const missing = await missingForRedis(true);
if (missing.length > 0) console.warn(`skipping the interrupted-run test: ${missing.join('; ')}`);

describe.skipIf(missing.length > 0)('leaderlog record redis: interrupted', () => {
  test('SIGINT during a partition stops every server it started and removes its nft table', async () => {
    let servers: number[] = [];
    let tableSeen = false;
    let pid = 0;
    const args = ['record', 'redis', '--duration', '10', '--faults', 'partition', '--seed', '3', '--out', join(scratch, 'interrupted')];
    const run = await runCli(args, process.env, (started) => {
      pid = started;
      const poll = setInterval(() => {
        servers = childRedisPids(started);
        tableSeen = nftTables().includes(`leaderlog_${started}_`);
        if (servers.length === 3 && tableSeen) {
          clearInterval(poll);
          process.kill(started, 'SIGINT');
        }
      }, 50);
    });
    expect(tableSeen).toBe(true);
    expect(servers).toHaveLength(3);
    expect(run.code).toBe(130);
    for (const server of servers) expect(isAlive(server)).toBe(false);
    expect(nftTables()).not.toContain(`leaderlog_${pid}_`);
  });
});

function nftTables(): string {
  return execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' });
}

function childRedisPids(parent: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(parent), 'redis-server'], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
