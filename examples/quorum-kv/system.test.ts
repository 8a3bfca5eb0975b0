import { describe, expect, it } from 'vitest';
import type { NodeContext } from '../../src/index.ts';
import { assertSystemHolds } from '../../src/index.ts';
import { quorumKv } from './system.ts';

// The correct example must hold every property, its own invariants and settling included.

describe('quorum-kv, a correct design', () => {
  it('keeps its promise over 400 runs of two seeds', () => {
    for (const seed of [1, 2]) {
      const outcome = assertSystemHolds(quorumKv, { runs: 400, seed });
      expect(outcome.properties.map((p) => [p.property, p.status])).toEqual([
        ['linearizable', 'held'],
        ['no-lost-write', 'held'],
        ['no-stale-read', 'held'],
        ['single-leader', 'held'],
        ['invariants', 'held'],
        ['converges', 'held'],
      ]);
    }
  });

  it('fails the same test when each node boots believing it is alone: the harness sees it break', () => {
    // Every node then starts as the leader of term 1 and commits on its own.
    const broken = {
      ...quorumKv,
      name: 'quorum-kv, each node alone',
      init: (ctx: NodeContext) => quorumKv.init({ ...ctx, nodeIds: [ctx.id] }),
    };
    expect(() => assertSystemHolds(broken, { runs: 200, seed: 1, properties: ['invariants', 'single-leader'] })).toThrowError(
      /invariants: invariant.*\n[\s\S]*single-leader: dual-leader/,
    );
  });
});
