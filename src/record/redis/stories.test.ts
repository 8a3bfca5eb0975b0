import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { readHistoryFile } from '../../../history/formats/read-history.ts';
import type { RecordingCheck } from '../check-recording.ts';
import { checkRecording } from '../check-recording.ts';
import { ourRedisPids, stillRunning } from '../cluster.test-kit.ts';
import type { FaultPlan } from '../fault-plan.ts';
import type { Recording } from '../recorder.ts';
import { missingForRedis } from './environment.ts';
import type { RedisRecordOptions } from './record-redis.ts';
import { recordRedis } from './record-redis.ts';

// The seed failure stories, each on a real Redis cluster on loopback with its faults placed by hand, so
// that the outcome rests on what Redis does and not on timing luck. Each run lasts a second or two.

const missing = await missingForRedis(true);
if (missing.length > 0) console.warn(`skipping the real Redis failure stories: ${missing.join('; ')}`);

const base: Omit<RedisRecordOptions, 'historyPath'> = {
  nodes: 3,
  clients: 5,
  keys: 2,
  kind: 'register',
  reads: 'primary',
  opTimeoutMs: 300,
  seed: 1,
  durationMs: 1200,
  faults: [],
  plan: [],
};

const primary = { role: 'primary' } as const;
const replicas = { role: 'replicas' } as const;

describe.skipIf(missing.length > 0)('failure stories on a real Redis cluster', () => {
  let dir = '';
  let runs = 0;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leaderlog-stories-'));
  });

  afterEach(() => {
    expect(ourRedisPids()).toEqual([]);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function story(
    options: Partial<RedisRecordOptions> & { plan: FaultPlan },
  ): Promise<{ recording: Recording; result: RecordingCheck; path: string }> {
    const path = join(dir, `history-${runs++}.jsonl`);
    const recording = await recordRedis({ ...base, ...options, historyPath: path });
    expect(stillRunning(recording.serverPids)).toEqual([]);
    return { recording, result: checkRecording(path), path };
  }

  const kinds = (result: RecordingCheck) => new Set(result.anomalies.map((anomaly) => anomaly.kind));

  test('a fault-free run is valid and names nothing; its file reads back as recorded', async () => {
    const { recording, result, path } = await story({ plan: [] });
    expect(readHistoryFile(path).events).toHaveLength(recording.counts.events);
    expect(result.history.operations.filter((op) => op.result === 'ok').length).toBeGreaterThan(50);
    expect(result.judgement.check?.verdict).toBe('valid');
    expect(result.anomalies).toEqual([]);
    expect(result.judgement.verdict).toBe('valid');
    expect(result.violation).toBe(false);
  });

  test('a fault-free list-append run is valid and names nothing', async () => {
    const { result } = await story({ kind: 'list-append', plan: [] });
    expect(result.history.operations.some((op) => op.f === 'append' && op.result === 'ok')).toBe(true);
    expect(result.anomalies).toEqual([]);
    expect(result.judgement.verdict).toBe('valid');
    expect(result.violation).toBe(false);
  });

  test('the primary, cut off from its replicas, acknowledges writes and dies; a replica is promoted: lost-write', async () => {
    const { result } = await story({
      durationMs: 1000,
      plan: [
        { atMs: 200, action: 'partition', a: primary, b: replicas },
        { atMs: 900, action: 'kill', target: primary },
        // After the workload: no client writes to the new primary, so the final reads show what it kept.
        { atMs: 1100, action: 'failover' },
      ],
    });
    const acknowledgedByOldPrimary = result.history.operations.filter((op) => op.f === 'write' && op.result === 'ok' && op.node === 'n1');
    expect(acknowledgedByOldPrimary.length).toBeGreaterThan(0);
    expect(kinds(result)).toContain('lost-write');
    expect(result.violation).toBe(true);
  });

  test('the primary is killed and restarts empty as the primary (no persistence): a lost write of everything acknowledged before, named from the restart', async () => {
    const { result } = await story({
      durationMs: 1000,
      plan: [
        { atMs: 300, action: 'kill', target: primary },
        { atMs: 500, action: 'restart' },
      ],
    });
    const restart = result.history.events.findIndex((event) => event.process === 'nemesis' && event.f === 'restart');
    expect(result.history.events[restart].value).toMatchObject({ node: 'n1', as: 'primary', empty: true });
    const named = result.anomalies.find((anomaly) => anomaly.kind === 'lost-write' && anomaly.events?.includes(restart));
    expect(named?.reason).toMatch(/^n1 restarted empty \(event \d+\) and served as the primary/);
    // It cites the last acknowledged write before the restart of each key.
    const cited = (named?.ops ?? []).map((id) => result.history.operations[id]);
    expect(cited.filter((op) => op.f === 'write' && op.result === 'ok' && op.completeIndex < restart).length).toBeGreaterThan(0);
    expect(result.violation).toBe(true);
  });

  test('reads from replicas whose replication link is cut: stale-read, and nothing lost', async () => {
    const { result } = await story({
      reads: 'replicas',
      // Room for a connection on a busy machine: a story with no reads in the cut shows nothing.
      opTimeoutMs: 600,
      durationMs: 1500,
      plan: [
        { atMs: 200, action: 'partition', a: primary, b: replicas },
        { atMs: 1000, action: 'heal' },
      ],
    });
    expect(kinds(result)).toContain('stale-read');
    expect(kinds(result)).not.toContain('lost-write');
    expect(result.violation).toBe(true);
  });

  test('the old primary is paused, a replica promoted, and the old one resumes still a primary taking writes: dual-leader', async () => {
    const { result } = await story({
      durationMs: 2200,
      plan: [
        { atMs: 200, action: 'pause', target: primary },
        { atMs: 400, action: 'failover', staleClients: 2 },
        { atMs: 700, action: 'resume' },
      ],
    });
    const writers = new Set(
      result.history.operations.filter((op) => op.f === 'write' && op.result === 'ok').map((op) => `${op.node}@${op.epoch}`),
    );
    expect(writers).toContain('n1@1');
    expect([...writers].some((writer) => writer.endsWith('@2') && !writer.startsWith('n1'))).toBe(true);
    expect(kinds(result)).toContain('dual-leader');
    expect(result.violation).toBe(true);
  });

  test("with Sentinel, a failover is Sentinel's own and the harness learns the new primary", async () => {
    const { result } = await story({
      failover: 'sentinel',
      durationMs: 1500,
      plan: [{ atMs: 200, action: 'failover' }],
    });
    const failover = result.history.events.find((event) => event.process === 'nemesis' && event.f === 'failover');
    expect(failover?.value).toMatchObject({ from: 'n1', by: 'sentinel' });
    const promoted = failover?.node;
    expect(promoted).toMatch(/^n[23]$/);
    const roles = result.history.events.filter((event) => event.process === 'cluster' && event.value === 'leader');
    expect(roles.at(-1)).toMatchObject({ node: promoted, epoch: 2 });
    // The final reads go to the primary the harness learned of.
    expect(result.history.operations.at(-1)).toMatchObject({ f: 'read', result: 'ok', node: promoted });
  });

  test('with WAIT for both replicas, a write the replicas never saw is never acknowledged', async () => {
    const { result } = await story({
      wait: 2,
      // WAIT gets half the op timeout: room for the replicas' acknowledgements on a busy machine.
      opTimeoutMs: 800,
      durationMs: 2000,
      plan: [{ atMs: 1000, action: 'partition', a: primary, b: replicas }],
    });
    const cutAt = result.history.events.find((event) => event.process === 'nemesis' && event.f === 'partition')?.time ?? 0;
    const writes = result.history.operations.filter((op) => op.f === 'write');
    expect(writes.some((op) => op.result === 'ok' && (op.completeTime ?? 0) < cutAt)).toBe(true);
    expect(writes.filter((op) => op.result === 'ok' && (op.invokeTime ?? 0) > cutAt)).toEqual([]);
    expect(writes.some((op) => op.result === 'info' && (op.invokeTime ?? 0) > cutAt)).toBe(true);
  });
});
