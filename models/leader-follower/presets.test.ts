import { describe, expect, it } from 'vitest';
import { validatePolicy } from './policy.ts';
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
  });

  it('each flawed preset is safe but for the switches its story needs', () => {
    const switches = (name: string) => {
      const { replication, failover, reads, restart, votes, nodes } = presets[name];
      const differs: string[] = [];
      if (JSON.stringify(replication) !== JSON.stringify(presets.safe.replication)) differs.push(`replication ${replication.kind}`);
      if (failover !== 'fenced') differs.push(`failover ${failover}`);
      if (reads !== 'read-index') differs.push(`reads ${reads}`);
      if (restart !== 'durable') differs.push(`restart ${restart}`);
      if ((votes ?? 'durable') !== 'durable') differs.push(`votes ${votes}`);
      if (nodes !== 3) differs.push(`${nodes} nodes`);
      return differs;
    };
    expect(Object.fromEntries(presetList.map((p) => [p.name, switches(p.name)]))).toEqual({
      safe: [],
      'lease-reads': ['reads lease'],
      'async-failover': ['replication async'],
      'semi-sync-failover': ['replication semi-sync', '5 nodes'],
      'naive-failover': ['replication async', 'failover naive', 'reads leader'],
      'no-fencing': ['failover manual', 'reads leader'],
      'follower-reads': ['reads follower'],
      'stale-leader-reads': ['reads leader'],
      'unsynced-restart': ['restart unsynced'],
    });
  });

  it('validation names the field out of range', () => {
    expect(() => validatePolicy({ ...presets.safe, nodes: 9 })).toThrow('policy.nodes must be an integer in 1..7, got 9');
    expect(() => validatePolicy({ ...presets.safe, replication: { kind: 'semi-sync', acks: -1 } })).toThrow('policy.replication.acks');
  });
});
