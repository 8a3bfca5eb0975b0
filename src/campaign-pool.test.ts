import { afterAll, describe, expect, it } from 'vitest';
import { asyncKv } from '../examples/async-kv/system.ts';
import { presets } from '../models/index.ts';
import type { CampaignOutcome, SubjectRef } from '../properties/index.ts';
import { presetSubject, propertyNamed, runCampaign, runCampaignOnWorkers, systemSubject } from '../properties/index.ts';
import { WorkerPool } from './campaign-pool.ts';

// The campaign on worker threads finds, shrinks and reports exactly what one thread does, for a
// preset (sent by name) and a user's system (loaded in each worker from its module).

const essence = (outcome: CampaignOutcome) => ({
  runs: outcome.runs,
  properties: outcome.properties.map((p) => ({
    property: p.property,
    status: p.status,
    runs: p.runs,
    run: p.counterexample?.run,
    path: p.counterexample?.path,
    schedule: p.counterexample?.schedule,
  })),
});

const ASYNC_KV: SubjectRef = { kind: 'system', module: 'examples/async-kv/system.ts', exportName: 'asyncKv' };

describe('the campaign on worker threads', () => {
  const pool = new WorkerPool(2);
  afterAll(() => pool.close());

  it('gives the outcome of one thread, counterexamples and shrunk paths included', async () => {
    for (const [name, shard] of [
      ['no-fencing', undefined],
      ['async-failover', { index: 1, count: 3 }],
    ] as const) {
      const subject = presetSubject(presets[name]);
      const properties = ['no-lost-write', 'single-leader', 'converges'].map((p) => propertyNamed(p)!);
      const options = { runs: 60, seed: 3, properties, shrinkBudget: 150, starts: 3, ...(shard && { shard }) };
      const alone = runCampaign(subject, options);
      const together = await runCampaignOnWorkers(subject, { kind: 'preset', preset: name }, options, pool);
      expect(essence(together)).toEqual(essence(alone));
      expect(alone.properties.some((p) => p.counterexample)).toBe(true);
    }
  });

  it('holds a correct design over the same runs', async () => {
    const subject = presetSubject(presets.safe);
    const together = await runCampaignOnWorkers(subject, { kind: 'preset', preset: 'safe' }, { runs: 60, seed: 5 }, pool);
    expect(essence(together)).toEqual(essence(runCampaign(subject, { runs: 60, seed: 5 })));
    expect(together.properties.every((p) => p.status === 'held' && p.runs === 60)).toBe(true);
  });

  it('loads a user system in each worker by its module and export, with the outcome of one thread', async () => {
    const subject = systemSubject(asyncKv, { module: ASYNC_KV.module, hash: '' });
    const options = { runs: 80, seed: 2, shrinkBudget: 200, starts: 2 };
    const alone = runCampaign(subject, options);
    const together = await runCampaignOnWorkers(subject, ASYNC_KV, options, pool);
    expect(essence(together)).toEqual(essence(alone));
    expect(together.properties.filter((p) => p.counterexample).length).toBeGreaterThan(0);
    expect(together.properties.some((p) => p.status === 'not-applicable')).toBe(
      alone.properties.some((p) => p.status === 'not-applicable'),
    );
  });

  it('reports a module that exports no such system as a failure of the task', async () => {
    const subject = systemSubject(asyncKv);
    await expect(runCampaignOnWorkers(subject, { ...ASYNC_KV, exportName: 'nothing' }, { runs: 4, seed: 1 }, pool)).rejects.toThrow(
      /exports no system named nothing/,
    );
  });
});
