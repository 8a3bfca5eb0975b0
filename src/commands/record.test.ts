import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { stillRunning } from '../record/cluster.test-kit.ts';
import { nftUnavailableReason } from '../record/network-partition.ts';
import { findPostgresTools } from '../record/postgres/environment.ts';
import { missingForRedis } from '../record/redis/environment.ts';

// `leaderlog record redis|postgres` as a user runs it: usage errors, a missing server, and an interrupt
// or a SIGKILL in the middle of a run that must leave no server, no firewall table and no temp dir
// behind.

const repo = join(import.meta.dirname, '..', '..');
const cli = join(repo, 'src', 'cli.ts');
const scratch = mkdtempSync(join(tmpdir(), 'leaderlog-record-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  onStart?: (pid: number) => void,
  asUser?: string,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const node = [process.execPath, '--import', 'tsx', cli, ...args];
    const [command, ...rest] = asUser === undefined ? node : ['setpriv', '--reuid', asUser, '--regid', asUser, '--clear-groups', ...node];
    const child = spawn(command, rest, { env, cwd: repo });
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

test.skipIf(missingServer.length > 0)(
  'an --out folder under /proc fails at once (exit 3) instead of mkdir looping, before any server starts',
  async () => {
    const out = join('/proc', `leaderlog-${process.pid}`, 'run');
    const run = await runCli(['record', 'redis', '--duration', '0.1', '--out', out]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`leaderlog: ${out}: cannot make the output folder: folders cannot be made there\n`);
  },
);

const missing = await missingForRedis(true);
if (missing.length > 0) console.warn(`skipping the interrupted-run test: ${missing.join('; ')}`);

describe.skipIf(missing.length > 0)('leaderlog record redis: interrupted', () => {
  test('SIGINT during a partition stops every server it started and removes its nft table', async () => {
    let servers: number[] = [];
    let tableSeen = false;
    let pid = 0;
    const args = ['record', 'redis', '--duration', '10', '--faults', 'partition', '--seed', '3', '--out', join(scratch, 'interrupted')];
    // The table appears a moment before the recorder learns that the cut is made and writes it down; the
    // interrupt comes 300 ms into the partition (which lasts over a second), so that it is in the history.
    let tableSince: number | undefined;
    const run = await runCli(args, process.env, (started) => {
      pid = started;
      const poll = setInterval(() => {
        servers = childRedisPids(started);
        tableSeen = nftTables().includes(`leaderlog_${started}_`);
        if (tableSeen) tableSince ??= Date.now();
        if (servers.length === 3 && tableSince !== undefined && Date.now() - tableSince >= 300) {
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
    expect(runDirsOf(pid)).toEqual([]);
    // What was recorded until then is in place, and said so.
    expect(run.stderr).toContain('leaderlog: interrupted: the partial history');
    expect(run.stderr).toContain('fault plan as it ran:');
    const partial = readFileSync(join(scratch, 'interrupted', 'history.jsonl'), 'utf8');
    expect(partial.split('\n').filter(Boolean).length).toBeGreaterThan(10);
    expect(partial).toContain('"f":"partition"');
  });

  test('SIGKILL during a partition: the servers die with it, and the next run removes its table and temp dir', async () => {
    let servers: number[] = [];
    let pid = 0;
    await runCli(
      ['record', 'redis', '--duration', '10', '--faults', 'partition', '--seed', '3', '--out', join(scratch, 'killed')],
      process.env,
      (started) => {
        pid = started;
        const poll = setInterval(() => {
          servers = childRedisPids(started);
          if (servers.length === 3 && nftTables().includes(`leaderlog_${started}_`)) {
            clearInterval(poll);
            process.kill(started, 'SIGKILL');
          }
        }, 50);
      },
    );
    expect(servers).toHaveLength(3);
    // The kernel kills them as leaderlog dies (parent-death signal); nothing could clean up the rest.
    await expect.poll(() => servers.filter(isAlive), { timeout: 2000 }).toEqual([]);
    expect(nftTables()).toContain(`leaderlog_${pid}_`);
    expect(runDirsOf(pid)).not.toEqual([]);
    const next = await runCli(['record', 'redis', '--nodes', '1', '--duration', '0.1', '--out', join(scratch, 'next')]);
    expect(next.code).toBe(0);
    expect(nftTables()).not.toContain(`leaderlog_${pid}_`);
    expect(runDirsOf(pid)).toEqual([]);
  });
});

const postgres = findPostgresTools();

describe('leaderlog record postgres', () => {
  test('without the server programs it is an environment failure (exit 4) naming the package, and starts nothing', async () => {
    const run = await runCli([
      'record',
      'postgres',
      '--duration',
      '1',
      '--bin-dir',
      join(scratch, 'no-such-dir'),
      '--out',
      join(scratch, 'no-pg'),
    ]);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('apt-get install postgresql');
    expect(run.stdout).toBe('');
    expect(existsSync(join(scratch, 'no-pg'))).toBe(false);
  });

  test('--reads standbys or --sync on one node is bad usage', async () => {
    const reads = await runCli(['record', 'postgres', '--nodes', '1', '--reads', 'standbys']);
    expect(reads.code).toBe(3);
    expect(reads.stderr).toContain('--reads standbys needs a standby');
    const sync = await runCli(['record', 'postgres', '--nodes', '1', '--sync', 'remote_apply']);
    expect(sync.code).toBe(3);
    expect(sync.stderr).toContain('--sync remote_apply needs a standby');
  });

  const pgMissing = 'missing' in postgres ? postgres.missing : undefined;
  test.skipIf(pgMissing !== undefined)('Ctrl-C of a run: exit 130, the partial history, no server process left', async () => {
    let postmasters: number[] = [];
    let backends: number[] = [];
    let pid = 0;
    const out = join(scratch, 'pg-interrupted');
    const run = await runCli(['record', 'postgres', '--duration', '10', '--seed', '5', '--out', out], process.env, (started) => {
      pid = started;
      const poll = setInterval(() => {
        postmasters = childPids(started, 'postgres');
        if (postmasters.length === 3 && existsSync(out) && readdirSync(out).some((name) => name.startsWith('history.jsonl.'))) {
          clearInterval(poll);
          // Some ops in (on a busy machine, perhaps only their invocations), then the interrupt.
          setTimeout(() => {
            backends = postmasters.flatMap((postmaster) => childPids(postmaster, 'postgres'));
            process.kill(started, 'SIGINT');
          }, 1000);
        }
      }, 50);
    });
    expect(postmasters).toHaveLength(3);
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('leaderlog: interrupted');
    expect(backends.length).toBeGreaterThan(3);
    expect(stillRunning([...postmasters, ...backends])).toEqual([]);
    expect(runDirsOf(pid)).toEqual([]);
    const partial = readFileSync(join(out, 'history.jsonl'), 'utf8');
    expect(partial).toContain('"type":"invoke"');
    expect(partial.endsWith('}\n')).toBe(true);
  });
});

const nftMissing = await nftUnavailableReason();

test.skipIf(nftMissing !== undefined || process.getuid?.() !== 0)(
  'partitions without root: exit 4 naming the right that is missing, nothing started',
  async () => {
    const run = await runCli(
      ['record', 'postgres', '--faults', 'partition', '--out', join(scratch, 'no-root')],
      process.env,
      undefined,
      '65534',
    );
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('partitions need root');
    expect(existsSync(join(scratch, 'no-root'))).toBe(false);
  },
);

function nftTables(): string {
  return execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' });
}

function childRedisPids(parent: number): number[] {
  return childPids(parent, 'redis-server');
}

function childPids(parent: number, name: string): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(parent), '-x', name], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Temp dirs of the leaderlog process `pid` (where its servers' files live). */
function runDirsOf(pid: number): string[] {
  return ['/dev/shm', tmpdir()].flatMap((parent) =>
    existsSync(parent) ? readdirSync(parent).filter((name) => name.includes(`-${pid}-`) && name.startsWith('leaderlog-')) : [],
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
