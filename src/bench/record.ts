import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordPostgres } from '../record/postgres/record-postgres.ts';
import type { Recording } from '../record/recorder.ts';
import type { RedisRecordOptions } from '../record/redis/record-redis.ts';
import { recordRedis } from '../record/redis/record-redis.ts';
import type { Figures, Section } from './scenario.ts';
import { scenario } from './scenario.ts';

// `npm run bench record`: how fast the recorder drives a real Redis cluster and a real PostgreSQL
// cluster on loopback, fault-free, side by side, and how big their histories are. The timed figure is
// the whole run (start, workload, settle, stop); the throughput figures are over the workload alone.
// The history streams to disk, so a run's peak memory is its clients', whatever its length: the
// 10-second list-append runs show it.

const SECONDS = 3;

/** Redis's options; PostgreSQL takes the same but --wait (its standbys are asynchronous here). */
type Options = Omit<RedisRecordOptions, 'historyPath'>;

const base: Options = {
  nodes: 3,
  clients: 5,
  keys: 3,
  kind: 'register',
  reads: 'primary',
  opTimeoutMs: 500,
  seed: 1,
  durationMs: SECONDS * 1000,
  faults: [],
};

type Database = 'redis' | 'postgres';

async function figures(database: Database, options: Options): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'leaderlog-bench-record-'));
  try {
    const historyPath = join(dir, 'history.jsonl');
    const recording: Recording =
      database === 'redis'
        ? await recordRedis({ ...options, historyPath })
        : await recordPostgres({ ...options, historyPath, sync: 'off' });
    const { ok, fail, info, events } = recording.counts;
    const ops = ok + fail + info;
    return {
      'ops/s': Math.round((ops / recording.workloadMs) * 1000),
      events,
      'JSONL bytes/op': Math.round(statSync(historyPath).size / ops),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const recordScenario = (database: Database, name: string, options: Partial<Options>, seconds = SECONDS, runs = 3) =>
  scenario({
    name: `${database}: ${name}, ${seconds} s`,
    runs,
    setup: () => ({ ...base, durationMs: seconds * 1000, ...options }),
    run: (o: Options) => figures(database, o),
  });

const both = (name: string, options: Partial<Options>, seconds?: number, runs?: number) =>
  (['redis', 'postgres'] as const).map((database) => recordScenario(database, name, options, seconds, runs));

export const section: Section = {
  title: 'Recording real clusters (3 nodes, 5 clients, fault-free): Redis and PostgreSQL side by side',
  scenarios: [
    ...both('register, reads from the primary', {}),
    ...both('register, reads from replicas', { reads: 'replicas' }),
    recordScenario('redis', 'register, WAIT 2 after each write', { wait: 2 }),
    ...both('list-append', { kind: 'list-append' }),
    ...both('list-append', { kind: 'list-append' }, 10, 1),
  ],
};
