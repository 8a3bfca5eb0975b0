import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RecordingCheck } from '../check-recording.ts';
import { checkRecording } from '../check-recording.ts';
import { stillRunning } from '../cluster.test-kit.ts';
import type { FaultPlan } from '../fault-plan.ts';
import { describePerformedPlan } from '../fault-plan.ts';
import { nftUnavailableReason } from '../network-partition.ts';
import type { Recording } from '../recorder.ts';
import { removeInitdbTemplate } from './cluster.ts';
import type { PostgresTools } from './environment.ts';
import { findPostgresTools } from './environment.ts';
import type { PostgresRecordOptions } from './record-postgres.ts';
import { recordPostgres } from './record-postgres.ts';

// The textbook PostgreSQL failures, each on a real primary with two streaming standbys on loopback,
// with its faults placed by hand so that the outcome rests on what PostgreSQL does, not on timing luck.

const found = findPostgresTools();
const nftMissing = await nftUnavailableReason();
const missing = ['missing' in found ? found.missing : undefined, nftMissing].filter((reason) => reason !== undefined);
if (missing.length > 0) console.warn(`skipping the real PostgreSQL stories: ${missing.join('; ')}`);

const primary = { role: 'primary' } as const;
const standbys = { role: 'replicas' } as const;

describe.skipIf(missing.length > 0)('failure stories on a real PostgreSQL cluster', () => {
  const tools = found as PostgresTools;
  let dir = '';
  let runs = 0;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leaderlog-pg-stories-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    removeInitdbTemplate();
  });

  async function story(
    options: Partial<PostgresRecordOptions> & { plan: FaultPlan },
  ): Promise<{ recording: Recording; result: RecordingCheck }> {
    const historyPath = join(dir, `history-${runs++}.jsonl`);
    const recording = await recordPostgres({
      nodes: 3,
      clients: 5,
      keys: 2,
      kind: 'register',
      reads: 'primary',
      opTimeoutMs: 500,
      seed: 1,
      durationMs: 1000,
      faults: [],
      sync: 'off',
      tools,
      historyPath,
      ...options,
    });
    // Every process of every server (postmasters and their backends) is gone.
    expect(stillRunning(recording.serverPids)).toEqual([]);
    return { recording, result: checkRecording(historyPath) };
  }

  const kinds = (result: RecordingCheck) => new Set(result.anomalies.map((anomaly) => anomaly.kind));
  const okWrites = (result: RecordingCheck) => result.history.operations.filter((op) => op.f !== 'read' && op.result === 'ok');

  test('fault-free register and list-append runs are valid and name nothing', async () => {
    for (const kind of ['register', 'list-append'] as const) {
      const { result } = await story({ kind, plan: [] });
      expect(okWrites(result).length).toBeGreaterThan(20);
      expect(result.anomalies).toEqual([]);
      expect(result.judgement.verdict).toBe('valid');
    }
  });

  // The primary goes on acknowledging commits its standbys never receive; it dies; the most advanced
  // standby is promoted after the workload (so that the final reads show what it kept).
  const killAndPromote: FaultPlan = [
    { atMs: 200, action: 'partition', a: primary, b: standbys },
    { atMs: 800, action: 'kill', target: primary },
    { atMs: 1100, action: 'failover' },
  ];

  test('asynchronous standbys, the primary killed and a standby promoted: lost-write', async () => {
    const { result } = await story({ kind: 'list-append', plan: killAndPromote });
    const failover = result.history.events.find((event) => event.process === 'nemesis' && event.f === 'failover');
    expect(failover?.node).toMatch(/^n[23]$/);
    expect(
      okWrites(result).some(
        (op) => op.node === 'n1' && (op.invokeTime ?? 0) > (result.history.events.find((event) => event.f === 'partition')?.time ?? 0),
      ),
    ).toBe(true);
    expect(kinds(result)).toContain('lost-write');
    expect(result.violation).toBe(true);
  });

  test('synchronous_commit = remote_apply, the same kill and promotion: nothing acknowledged is lost', async () => {
    const { result } = await story({ kind: 'list-append', sync: 'remote_apply', plan: killAndPromote });
    const cutAt = result.history.events.find((event) => event.f === 'partition')?.time ?? 0;
    // Once cut off, the primary acknowledges nothing: commits wait for a standby, then are info.
    expect(okWrites(result).filter((op) => op.node === 'n1' && (op.invokeTime ?? 0) > cutAt)).toEqual([]);
    expect(result.history.operations.some((op) => op.f === 'append' && op.result === 'info')).toBe(true);
    expect(kinds(result)).not.toContain('lost-write');
    expect(result.violation).toBe(false);
  });

  test('reads from standbys whose replay is paused (pg_wal_replay_pause): stale-read, nothing lost', async () => {
    const { result } = await story({
      reads: 'replicas',
      durationMs: 1200,
      plan: [
        { atMs: 200, action: 'pause-replay', target: standbys },
        { atMs: 900, action: 'resume-replay' },
      ],
    });
    expect(result.history.events.filter((event) => event.f === 'pause-replay')).toHaveLength(2);
    expect(kinds(result)).toContain('stale-read');
    expect(kinds(result)).not.toContain('lost-write');
    expect(result.violation).toBe(true);
  });

  test('the old primary is left up after a promotion and clients still write to it: dual-leader', async () => {
    // The workload runs on for 1.7 s after the failover, so that a busy machine's slow connections to
    // the new primary still leave it time to acknowledge writes.
    const { recording, result } = await story({
      durationMs: 2000,
      plan: [{ atMs: 300, action: 'failover', staleClients: 2 }],
    });
    const writers = new Set(okWrites(result).map((op) => `${op.node}@${op.epoch}`));
    expect(writers).toContain('n1@1');
    const newPrimaryWrites = result.history.operations.filter((op) => op.f !== 'read' && op.epoch === 2 && op.node !== 'n1');
    expect(
      newPrimaryWrites.filter((op) => op.result === 'ok'),
      `no write acknowledged by the new primary; fault plan as it ran: ${describePerformedPlan(recording.plan, recording.performed).join('; ')}; its writes: ${newPrimaryWrites.map((op) => `${op.result} ${JSON.stringify(op.error ?? null)}`).join(', ')}`,
    ).not.toEqual([]);
    expect(kinds(result)).toContain('dual-leader');
    expect(result.violation).toBe(true);
  });
});
