import { expect, test } from 'vitest';
import { EventLog } from '../event-log.ts';
import type { NetworkPartitioner } from '../network-partition.ts';
import { startOpClock } from '../op-clock.ts';
import { sleep } from '../timeouts.ts';
import type { RedisCluster } from './cluster.ts';
import { Nemesis } from './nemesis.ts';
import { Topology } from './topology.ts';

// Healing is the one step that needs no cluster, so a slow partitioner shows how the plan keeps time.
function slowHealNemesis(healMs: number) {
  const log = new EventLog(startOpClock());
  const partitioner = { active: false, heal: () => sleep(healMs) } as unknown as NetworkPartitioner;
  const nemesis = new Nemesis({} as RedisCluster, partitioner, new Topology(['n1'], 1, log), log);
  return { log, nemesis };
}

const healTimes = (log: EventLog) => log.events.filter((event) => event.f === 'heal').map((event) => (event.time ?? 0) / 1e6);

test('a step that takes effect late pushes the next one back by as much: planned gaps are kept', async () => {
  const { log, nemesis } = slowHealNemesis(150);
  const run = nemesis.run([{ atMs: 0, action: 'heal' }, { atMs: 50, action: 'heal' }], log.clock.now() / 1e6);
  expect(nemesis.doneBefore(10)).toBe(false);
  await run;
  const [first, second] = healTimes(log);
  // The first heal took effect ~150 ms in, 150 ms late; the second keeps its 50 ms after it.
  expect(second - first).toBeGreaterThanOrEqual(50 + 150 - 5);
  expect(nemesis.lateMs).toBeGreaterThanOrEqual(150);
  expect(nemesis.doneBefore(Infinity)).toBe(true);
});

test('no step runs before its planned time', async () => {
  const { log, nemesis } = slowHealNemesis(0);
  await nemesis.run([{ atMs: 30, action: 'heal' }], log.clock.now() / 1e6);
  expect(healTimes(log)[0]).toBeGreaterThanOrEqual(30);
});
