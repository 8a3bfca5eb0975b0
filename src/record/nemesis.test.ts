import { expect, test } from 'vitest';
import type { Cluster } from './cluster.ts';
import { EventLog, memorySink } from './event-log.ts';
import { Nemesis } from './nemesis.ts';
import type { NetworkPartitioner } from './network-partition.ts';
import { startOpClock } from './op-clock.ts';
import { sleep } from './timeouts.ts';
import { Topology } from './topology.ts';

// Healing is the one step that needs no cluster, so a slow partitioner shows how the plan keeps time.
function slowHealNemesis(healMs: number) {
  const sink = memorySink();
  const clock = startOpClock();
  const log = new EventLog(clock, sink);
  // A timer may fire a little before the op clock says its time has come: wait on the op clock itself,
  // so the heal lasts at least healMs on the clock the nemesis measures with.
  const heal = async () => {
    const until = clock.now() / 1e6 + healMs;
    for (let wait = until - clock.now() / 1e6; wait > 0; wait = until - clock.now() / 1e6) await sleep(wait);
  };
  const partitioner = { active: false, heal } as unknown as NetworkPartitioner;
  const nemesis = new Nemesis({} as Cluster, partitioner, new Topology(['n1'], 1, log), log);
  return { log: Object.assign(log, { events: sink.events }), nemesis };
}

const healTimes = (log: { events: readonly { f: string; time?: number }[] }) =>
  log.events.filter((event) => event.f === 'heal').map((event) => (event.time ?? 0) / 1e6);

test('a step that takes effect late pushes the next one back by as much: planned gaps are kept', async () => {
  const { log, nemesis } = slowHealNemesis(150);
  const run = nemesis.run(
    [
      { atMs: 0, action: 'heal' },
      { atMs: 50, action: 'heal' },
    ],
    log.clock.now() / 1e6,
  );
  expect(nemesis.doneBefore(10)).toBe(false);
  await run;
  const [first, second] = healTimes(log);
  // The first heal took effect ~150 ms in, 150 ms late; the second keeps its 50 ms after it.
  expect(second - first).toBeGreaterThanOrEqual(50 + 150 - 5);
  expect(nemesis.lateMs).toBeGreaterThanOrEqual(150);
  expect(nemesis.doneBefore(Infinity)).toBe(true);
  // The plan as it ran says when each step really took effect.
  expect(nemesis.performed.map((done) => done.step.atMs)).toEqual([0, 50]);
  expect(nemesis.performed[0].atMs).toBeGreaterThanOrEqual(150);
  expect(nemesis.performed[1].atMs).toBeCloseTo(second, -1);
});

test('no step runs before its planned time', async () => {
  const { log, nemesis } = slowHealNemesis(0);
  await nemesis.run([{ atMs: 30, action: 'heal' }], log.clock.now() / 1e6);
  expect(healTimes(log)[0]).toBeGreaterThanOrEqual(30);
});

/** A nemesis over two nodes, n1 the primary, on `cluster`, with the history it writes. */
function failoverNemesis(cluster: Partial<Cluster>) {
  const sink = memorySink();
  const log = new EventLog(startOpClock(), sink);
  const topology = new Topology(['n1', 'n2'], 2, log);
  const nemesis = new Nemesis(cluster as Cluster, {} as NetworkPartitioner, topology, log);
  const failover = () => sink.events.find((event) => event.f === 'failover')?.value;
  return { log, topology, nemesis, failover };
}

// A replica slow to answer (a busy machine, a backend slow to fork) is still a candidate for promotion.
test('a failover asks a running replica again until it tells its log position', async () => {
  let silentAnswers = 3;
  const promoted: string[] = [];
  const { topology, nemesis, failover } = failoverNemesis({
    isRunning: () => true,
    isPaused: () => false,
    position: async () => (silentAnswers-- > 0 ? undefined : { role: 'replica', offset: 7 }),
    promote: async (id: string) => void promoted.push(id),
    follow: async () => {},
  });
  await nemesis.perform({ action: 'failover' });
  expect(promoted).toEqual(['n2']);
  expect(topology.primary).toBe('n2');
  expect(failover()).toMatchObject({ to: 'n2', offsets: { n2: 7 } });
});

test('a failover with no replica that answers fails, says why in the history and the plan as it ran, and changes nothing', async () => {
  const { log, topology, nemesis, failover } = failoverNemesis({ isRunning: (id: string) => id === 'n1', isPaused: () => false });
  await nemesis.run([{ atMs: 0, action: 'failover' }], log.clock.now() / 1e6);
  expect(topology.primary).toBe('n1');
  expect(failover()).toMatchObject({ error: expect.stringMatching(/no replica up/) });
  expect(nemesis.performed[0].error).toMatch(/no replica up/);
});
