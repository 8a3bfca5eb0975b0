import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leaseFor, validatePolicy } from './policy.ts';
import { presetList, presets } from './presets.ts';

describe('presets', () => {
  it('are valid policies with unique names, each telling its story', () => {
    for (const preset of presetList) {
      expect(() => validatePolicy(preset)).not.toThrow();
      expect(presets[preset.name]).toBe(preset);
      expect(preset.story.split('. ').length).toBeGreaterThanOrEqual(2);
    }
    expect(new Set(presetList.map((p) => p.name)).size).toBe(presetList.length);
  });

  it('safe is quorum writes, fenced failover and read-index reads; the correct designs expect nothing', () => {
    expect(presets.safe).toMatchObject({
      replication: { kind: 'quorum' },
      failover: 'fenced',
      reads: 'read-index',
      restart: 'durable',
      expected: [],
    });
    expect(presetList.filter((p) => p.expected.length === 0).map((p) => p.name)).toEqual(['safe', 'lease-reads']);
    // The correct designs run at 3, 4 and 5 nodes; a flawed one at the size its story is told with.
    expect(presetList.filter((p) => p.sizes).map((p) => [p.name, p.sizes])).toEqual([
      ['safe', [3, 4, 5]],
      ['lease-reads', [3, 4, 5]],
    ]);
  });

  it('each flawed preset is safe but for the switches its story needs', () => {
    const switches = (name: string) => {
      const p = presets[name];
      const { replication, failover, reads, restart, votes, nodes } = p;
      const differs: string[] = [];
      if (JSON.stringify(replication) !== JSON.stringify(presets.safe.replication)) differs.push(`replication ${replication.kind}`);
      if (failover !== 'fenced') differs.push(`failover ${failover}`);
      if (reads !== 'read-index') differs.push(`reads ${reads}`);
      if (restart !== 'durable') differs.push(`restart ${restart}`);
      if ((votes ?? 'durable') !== 'durable') differs.push(`votes ${votes}`);
      if (nodes !== 3) differs.push(`${nodes} nodes`);
      if (p.lease !== presets.safe.lease) differs.push(`lease ${p.lease}`);
      if (p.drift !== undefined) differs.push(`drift ${p.drift}`);
      for (const flag of ['leaderLease', 'leaseFrom', 'leaseClock', 'batch', 'pipeline', 'truncate', 'commitRule', 'pending'] as const)
        if (p[flag] !== undefined) differs.push(`${flag} ${p[flag]}`);
      return differs;
    };
    expect(Object.fromEntries(presetList.map((p) => [p.name, switches(p.name)]))).toEqual({
      safe: [],
      'lease-reads': ['reads lease', 'lease 60', 'drift 0.25'],
      'async-failover': ['replication async'],
      'semi-sync-failover': ['replication semi-sync', '5 nodes'],
      'naive-failover': ['replication async', 'failover naive', 'reads leader'],
      'no-fencing': ['failover manual', 'reads leader'],
      'follower-reads': ['reads follower'],
      'stale-leader-reads': ['reads leader'],
      'unsynced-restart': ['restart unsynced'],
      'figure-8': ['batch 1', 'commitRule any-epoch', 'pending keep'],
      'forgotten-votes': ['votes forgotten'],
      // The lease designs differ from lease-reads by one switch each.
      'long-lease': ['reads lease', 'lease 60', 'drift 0.25', 'leaderLease 60'],
      'lease-from-reply': ['reads lease', 'lease 60', 'drift 0.25', 'leaseFrom reply'],
      'last-tick-lease': ['reads lease', 'lease 60', 'drift 0.25', 'leaseClock last-tick'],
      'unconfirmed-reads': ['reads unconfirmed-index'],
      'stale-append': ['pipeline 3', 'truncate overwrite'],
    });
  });

  it('a leader trusts its lease only as long as the drift allows: lease x (1 - drift) / (1 + drift), unless told', () => {
    expect(leaseFor(presets['lease-reads'])).toBe(36);
    expect(leaseFor({ ...presets['lease-reads'], drift: 0 })).toBe(60);
    expect(leaseFor({ ...presets['lease-reads'], drift: 1 / 8 })).toBe(46);
    expect(leaseFor(presets['long-lease'])).toBe(60);
  });

  it('the trusted lease is exactly the largest whole number within the bound, for every drift and lease allowed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 511 }), fc.integer({ min: 1, max: 100_000 }), (k, lease) => {
        const trusted = BigInt(leaseFor({ ...presets['lease-reads'], lease, drift: k / 1024 }));
        // trusted x (1 + drift) <= lease x (1 - drift) < (trusted + 1) x (1 + drift), in whole numbers
        const [bound, step] = [BigInt(lease) * BigInt(1024 - k), BigInt(1024 + k)];
        return trusted * step <= bound && bound < (trusted + 1n) * step;
      }),
      { seed: 1, numRuns: 20_000 },
    );
  });

  it('validation names the field out of range', () => {
    expect(() => validatePolicy({ ...presets.safe, nodes: 9 })).toThrow('policy.nodes must be an integer in 1..7, got 9');
    expect(() => validatePolicy({ ...presets.safe, replication: { kind: 'semi-sync', acks: -1 } })).toThrow('policy.replication.acks');
    expect(() => validatePolicy({ ...presets.safe, drift: 0.1 })).toThrow('policy.drift must be a multiple of 1/1024 in 0..1/2, got 0.1');
    expect(() => validatePolicy({ ...presets.safe, pipeline: 0 })).toThrow('policy.pipeline must be an integer in 1..64, got 0');
  });
});
