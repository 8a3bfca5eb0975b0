import { describe, expect, it } from 'vitest';
import { presets } from '../leader-follower/presets.ts';
import { leaderFollower } from '../leader-follower/system.ts';
import type { Action } from './action.ts';
import { runSystem, systemShape } from './run-system.ts';
import type { Message, NodeContext, System } from './system.ts';
import { defineSystem } from './system.ts';
import { SystemError } from './system-error.ts';

// The world a system runs in: its network, faults, clients and history, shown with a small system
// whose nodes keep one register, copy every write to the others, and keep on disk only what `saved`
// says.

interface Cell {
  value: number | null;
  saved: number | null;
  leader: boolean;
  epoch: number;
  rolls: number[];
}

const cell = defineSystem<Cell, number | null>({
  name: 'cell',
  nodes: 3,
  clients: 2,
  keys: 1,
  workloads: ['register'],
  init: (ctx) => ({ value: null, saved: null, leader: ctx.id === 'n1', epoch: 1, rolls: [] }),
  receive(node, m, ctx) {
    const body = m.body;
    if (body.type === 'copy') {
      node.value = body.value as number;
      return;
    }
    if (body.type === 'read') return ctx.reply(m, { type: 'read_ok', value: node.value });
    if (body.type === 'cas')
      return ctx.reply(m, { type: 'error', code: body.to === 2 ? 11 : 13, ...(body.to === 3 && { text: 'lost track' }) });
    node.value = body.value as number;
    for (const peer of ctx.nodeIds) if (peer !== ctx.id) ctx.send(peer, { type: 'copy', value: node.value });
    ctx.reply(m, { type: 'write_ok' });
  },
  tick(node, ctx) {
    node.saved = node.value;
    node.rolls.push(ctx.random());
  },
  durable: (node) => node.saved,
  restart: (saved) => ({ value: saved, saved, leader: false, epoch: 1, rolls: [] }),
  role: (node) => ({ role: node.leader ? 'leader' : 'follower', epoch: node.epoch }),
  promote(node) {
    node.leader = true;
    node.epoch++;
  },
  invariants: (nodes) => (nodes.filter((n) => n.up && n.state.leader).length > 1 ? ['two leaders'] : []),
  settled: (nodes) => nodes.every((n) => n.up),
});

const write = (client: number, node?: number): Action => ({
  kind: 'invoke',
  client,
  f: 'write',
  key: 0,
  ...(node !== undefined && { node }),
});
const read = (client: number, node?: number): Action => ({
  kind: 'invoke',
  client,
  f: 'read',
  key: 0,
  ...(node !== undefined && { node }),
});
const clientEvents = (run: ReturnType<typeof runSystem>) =>
  run.events
    .filter((e) => typeof e.process === 'number')
    .map((e) => `${e.process} ${e.type} ${e.f} ${JSON.stringify(e.value)}${e.node ? ` ${e.node}` : ''}${e.error ? ` (${e.error})` : ''}`);

describe('runSystem', () => {
  it('announces roles at time 0, answers clients at once, and ships messages only when the schedule delivers them', () => {
    const run = runSystem(cell, [write(0), read(1, 1), { kind: 'deliver', pick: 0 }, read(1, 1)]);
    expect(run.events.slice(0, 3).map((e) => `${e.node} ${e.value} e${e.epoch} t${e.time}`)).toEqual([
      'n1 leader e1 t0',
      'n2 follower e1 t0',
      'n3 follower e1 t0',
    ]);
    expect(clientEvents(run)).toEqual([
      '0 invoke write 1 n1',
      '0 ok write 1 n1',
      '1 invoke read null n2',
      '1 ok read null n2',
      '1 invoke read null n2',
      '1 ok read 1 n2',
    ]);
    expect(run.trace[2]).toMatchObject({ action: { kind: 'deliver' }, delivered: [{ kind: 'copy', from: 'n1', to: 'n2' }] });
    expect(run.events.find((e) => e.type === 'ok' && e.f === 'write')).toMatchObject({ epoch: 1 });
  });

  it('loses messages over a partition or a one-way cut, and to a node that is down', () => {
    const partitioned = runSystem(cell, [
      { kind: 'partition', groups: [0, 1, 1] },
      write(0),
      { kind: 'heal' },
      { kind: 'deliver', pick: 0 },
    ]);
    expect(partitioned.trace[1]!.dropped.map((m) => m.to)).toEqual(['n2', 'n3']);
    expect(partitioned.trace[3]!.noop).toBe('no message in flight');
    const cut = runSystem(cell, [{ kind: 'cut', from: 0, to: 2 }, write(0), { kind: 'cut', from: 0, to: 2 }]);
    expect(cut.trace[1]!.dropped.map((m) => m.to)).toEqual(['n3']);
    expect(cut.trace[2]!.noop).toBe('that link is already cut');
    const down = runSystem(cell, [write(0), { kind: 'crash', node: 1 }, { kind: 'deliver', pick: 0 }, { kind: 'tick', node: 1 }]);
    expect(down.trace[2]!.dropped.map((m) => m.to)).toEqual(['n2']);
    expect(down.trace[3]!.noop).toBe('n2 is down');
  });

  it('delivers a duplicate as often as the schedule says, and any pick lands on some message', () => {
    const run = runSystem(cell, [write(0), { kind: 'duplicate', pick: 2 }, { kind: 'deliver', pick: -1 }]);
    expect(run.trace[1]!.sent).toMatchObject([{ kind: 'copy', to: 'n2' }]);
    expect(run.trace[2]!.delivered).toMatchObject([{ kind: 'copy', to: 'n2' }]);
  });

  it('keeps across a crash only what the node declared durable, and fails or leaves open what waited on it', () => {
    const run = runSystem(cell, [
      write(0, 1),
      { kind: 'tick', node: 1 },
      write(1, 1),
      { kind: 'crash', node: 1 },
      { kind: 'restart', node: 1 },
      read(0, 1),
    ]);
    expect(clientEvents(run).slice(-2)).toEqual(['0 invoke read null n2', '0 ok read 1 n2']);
    expect(run.events.filter((e) => e.process === 'nemesis').map((e) => `${e.f} ${e.value}`)).toEqual(['crash n2', 'restart n2']);
    expect(run.events.filter((e) => e.f === 'role' && e.node === 'n2').map((e) => e.value)).toEqual(['follower', 'down', 'follower']);
  });

  it('records definite errors as fail and the rest as info; a request to a down node fails: it never arrived', () => {
    const run = runSystem(cell, [
      write(0),
      { kind: 'invoke', client: 0, f: 'cas', key: 0 },
      { kind: 'invoke', client: 0, f: 'cas', key: 0 },
      { kind: 'invoke', client: 1, f: 'write', key: 0, node: 2 },
      { kind: 'crash', node: 0 },
      write(0, 0),
    ]);
    expect(clientEvents(run).filter((e) => !e.includes('invoke'))).toEqual([
      '0 ok write 1 n1',
      '0 fail cas [1,2] n1 (temporarily-unavailable)',
      '0 info cas [2,3] n2 (lost track)',
      '1 ok write 4 n3',
      '0 fail write 5 n1 (unavailable)',
    ]);
  });

  it('gives each node seeded randomness: the same schedule the same numbers, another step others', () => {
    const schedule: Action[] = [
      { kind: 'tick', node: 0 },
      { kind: 'tick', node: 0 },
      { kind: 'tick', node: 1 },
    ];
    const rolls = (run: ReturnType<typeof runSystem>) => run.nodes.map((n) => (n.state as Cell).rolls);
    const [first, again] = [runSystem(cell, schedule), runSystem(cell, schedule)];
    expect(rolls(first)).toEqual(rolls(again));
    expect(new Set(rolls(first).flat()).size).toBe(3);
    expect(JSON.stringify(first.events)).toBe(JSON.stringify(again.events));
  });

  it('checks invariants after every step, each reported once at the time first seen; promote and settled through their hooks', () => {
    const run = runSystem(
      cell,
      [
        { kind: 'tick', node: 0 },
        { kind: 'promote', node: 2 },
        { kind: 'tick', node: 0 },
        { kind: 'crash', node: 1 },
      ],
      { finale: true },
    );
    expect(run.violations).toEqual([{ kind: 'invariant', detail: 'two leaders', nodes: [], time: 2 }]);
    expect(run.events.find((e) => e.f === 'role' && e.node === 'n3' && e.time === 2)).toMatchObject({ value: 'leader', epoch: 2 });
    expect(run.finale[0]).toEqual({ kind: 'restart', node: 1 });
    expect(run.settled).toBe(true);
    expect(clientEvents(run).filter((e) => e.includes('read'))).toEqual(['0 invoke read null n1', '0 ok read null n1']);
  });

  it('gives a monitor every step (the nodes after it and the events it added) and reports each finding once, by its kind', () => {
    // Remembers what each node ever held: a crash that loses an unsaved value is a regression no single step shows.
    const watched = defineSystem<Cell, number | null>({
      ...cell,
      monitor(start) {
        const held = start.map((n) => n.state.value);
        return ({ nodes, events, time }) => {
          seen.push(`${time} ${events.map((e) => e.type).join(',')}`);
          return nodes.flatMap((n, i) => {
            const before = held[i]!;
            held[i] = n.state.value;
            return n.up && before !== null && n.state.value === null
              ? [{ kind: 'value-regressed', detail: `${n.id} held ${before}, now nothing`, nodes: [n.id] }]
              : [];
          });
        };
      },
    });
    const seen: string[] = [];
    const schedule: Action[] = [
      write(0, 1),
      { kind: 'crash', node: 1 },
      { kind: 'restart', node: 1 },
      write(0, 1),
      { kind: 'crash', node: 1 },
      { kind: 'restart', node: 1 },
    ];
    const run = runSystem(watched, schedule);
    expect(seen).toEqual(['1 invoke,ok', '2 info,info', '3 info,info', '4 invoke,ok', '5 info,info', '6 info,info']);
    expect(run.violations).toEqual([
      { kind: 'value-regressed', detail: 'n2 held 1, now nothing', nodes: ['n2'], time: 3 },
      { kind: 'value-regressed', detail: 'n2 held 2, now nothing', nodes: ['n2'], time: 6 },
    ]);
    seen.length = 0;
    expect(runSystem(watched, schedule).violations).toEqual(run.violations);
    expect(seen).toHaveLength(6);
    expect(runSystem(watched, schedule, { invariants: 'off' }).violations).toEqual([]);
  });

  it('lets each final read wait for a settled cluster and one heartbeat round of its one leader', () => {
    const run = runSystem(cell, [{ kind: 'crash', node: 2 }], { finale: true });
    expect(run.finale).toEqual([
      { kind: 'restart', node: 2 },
      { kind: 'tick', node: 0 },
      { kind: 'invoke', client: 0, f: 'read', key: 0 },
    ]);
    expect(run.settled).toBe(true);
    // Two leaders: no heartbeat round to wait for.
    expect(runSystem(cell, [{ kind: 'promote', node: 1 }], { finale: true }).finale).toEqual([
      { kind: 'invoke', client: 0, f: 'read', key: 0 },
    ]);
  });

  it('says nothing of what a system lacks: no violations list, no settled verdict, no-op promote', () => {
    const bare: System<Cell, number | null> = {
      name: 'bare',
      nodes: 2,
      init: cell.init,
      receive: cell.receive,
      tick: cell.tick,
      durable: cell.durable,
      restart: cell.restart,
    };
    const run = runSystem(bare, [{ kind: 'promote', node: 0 }], { finale: true });
    expect(run.violations).toBeNull();
    expect(run.settled).toBeNull();
    expect(run.trace[0]!.noop).toBe('the system has no promote hook');
    expect(run.events.some((e) => e.f === 'role')).toBe(false);
  });

  it('names the node, the step and the message when a handler throws or misbehaves', () => {
    const failing = (receive: (node: Cell, m: Message, ctx: NodeContext) => void) => ({ ...cell, name: 'bad', receive });
    const thrown = (system: System<Cell, number | null>) => {
      try {
        runSystem(system, [{ kind: 'tick', node: 0 }, write(0, 1)]);
      } catch (error) {
        expect(error).toBeInstanceOf(SystemError);
        return (error as SystemError).message;
      }
      throw new Error('no error');
    };
    expect(
      thrown(
        failing(() => {
          throw new Error('boom');
        }),
      ),
    ).toBe(
      `system bad: n2's receive handling {"src":"c1","dest":"n2","body":{"type":"write","msg_id":1,"key":0,"value":1}} threw at step 2: Error: boom`,
    );
    expect(thrown(failing((_n, _m, ctx) => ctx.send('n7', { type: 'x' })))).toMatch(
      /^system bad: n2 sent to "n7", which does not exist \(nodes n1, n2, n3; clients c1\.\.c2\) at step 2$/,
    );
    expect(thrown(failing((_n, m, ctx) => ctx.send(m.src, { type: 'read_ok', in_reply_to: 1 })))).toMatch(
      /^system bad: n2 answered write of key 0 with .* at step 2; expected write_ok or error$/,
    );
    expect(thrown(failing((_n, _m, ctx) => ctx.send('n1', null as never)))).toMatch(/^system bad: n2 sent a malformed message at step 2/);
  });
});

describe('systemShape', () => {
  it('refuses a system without a handler or with a size out of range', () => {
    expect(() => runSystem({ ...cell, durable: undefined } as never, [])).toThrow(
      /^system cell: durable must be a function, got undefined$/,
    );
    expect(() => runSystem({ ...cell, nodes: 8 }, [])).toThrow(/^system cell: nodes must be an integer in 1\.\.7, got 8$/);
    expect(() => runSystem({ ...cell, drift: 0.3 }, [])).toThrow(
      /^system cell: drift must be a multiple of 1\/1024 in 0\.\.1\/2, got 0\.3$/,
    );
  });
});

describe('settling', () => {
  /** A cluster that settles only once its first node has ticked 40 times (slower than 30 rounds past its patience), and answers reads at once. */
  const slow = (settling?: number) =>
    defineSystem<{ ticks: number }, null>({
      name: 'slow',
      nodes: 2,
      workloads: ['register'],
      patience: 5,
      ...(settling !== undefined && { settling }),
      init: () => ({ ticks: 0 }),
      receive: (_node, m, ctx) => ctx.reply(m, { type: 'read_ok', value: null }),
      tick: (node) => ({ ticks: node.ticks + 1 }),
      durable: () => null,
      restart: () => ({ ticks: 0 }),
      settled: (nodes) => (nodes[0]?.state.ticks ?? 0) >= 40,
    });

  it('lasts 30 rounds past the settling time a system declares, its patience when it declares none', () => {
    expect(runSystem(slow(), [], { finale: true }).settled).toBe(false);
    expect(runSystem(slow(12), [], { finale: true }).settled).toBe(true);
  });

  it('is the patience plus the promise for the built-in design under leases, which draws bursts of its patience alone', () => {
    const lease = systemShape(leaderFollower(presets['lease-reads']));
    expect(lease.patience).toBe(7);
    expect(lease.settling).toBe(7 + Math.ceil(60 / (1 - 1 / 4)));
    const safe = systemShape(leaderFollower(presets.safe));
    expect(safe.settling).toBe(safe.patience);
  });
});

describe('retries', () => {
  /** Nodes that answer what they got only at their next tick: n1 with an error, n2 with success. */
  const lazy = defineSystem<Message[], null>({
    name: 'lazy',
    nodes: 2,
    clients: 1,
    keys: 1,
    workloads: ['register'],
    init: () => [],
    receive: (held, m) => [...held, m],
    tick(held, ctx) {
      for (const m of held) ctx.reply(m, ctx.id === 'n1' ? { type: 'error', code: 11 } : { type: 'write_ok' });
      return [];
    },
    durable: () => null,
    restart: () => [],
  });
  const tick = (node: number): Action => ({ kind: 'tick', node });

  it('send the same request to the next node; an error from one copy fails nothing, the first success completes it', () => {
    const run = runSystem(lazy, [write(0, 0), { kind: 'retry', client: 0 }, tick(0), tick(1), { kind: 'retry', client: 0 }]);
    expect(clientEvents(run)).toEqual(['0 invoke write 1 n1', '0 ok write 1 n2']);
    expect(run.trace[4]!.noop).toBe('client 0 waits for nothing');
    // Without the retry, n1's error is a definite failure.
    expect(clientEvents(runSystem(lazy, [write(0, 0), tick(0)]))).toEqual([
      '0 invoke write 1 n1',
      '0 fail write 1 n1 (temporarily-unavailable)',
    ]);
  });
});

describe('cluster sizes', () => {
  it("a schedule's first action may choose another of the sizes the system runs at; nowhere else, and no other size", () => {
    const sized = { ...cell, sizes: [3, 5] };
    const nodesIn = (run: ReturnType<typeof runSystem>) => run.nodes.map((n) => n.id);
    expect(nodesIn(runSystem(sized, [{ kind: 'cluster', nodes: 5 }, write(0, 4)]))).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    const wrong = runSystem(sized, [
      { kind: 'cluster', nodes: 4 },
      { kind: 'cluster', nodes: 5 },
    ]);
    expect(nodesIn(wrong)).toEqual(['n1', 'n2', 'n3']);
    expect(wrong.trace.map((t) => t.noop)).toEqual([
      "a cluster is chosen by a schedule's first action, of the sizes the system runs at (3, 5)",
      "a cluster is chosen by a schedule's first action, of the sizes the system runs at (3, 5)",
    ]);
    expect(nodesIn(runSystem(cell, [{ kind: 'cluster', nodes: 5 }]))).toEqual(['n1', 'n2', 'n3']);
  });
});

describe('clocks', () => {
  /** Each node notes its clock at every tick. */
  const clocked = (drift?: number) =>
    defineSystem<number[], null>({
      name: 'clocked',
      nodes: 2,
      ...(drift !== undefined && { drift }),
      init: () => [],
      receive: () => {},
      tick: (seen, ctx) => [...seen, ctx.now],
      durable: () => null,
      restart: () => [],
    });
  const tick = (node: number): Action => ({ kind: 'tick', node });

  it("read the world's step count, unless the system declares a drift and the schedule skews a node's clock", () => {
    const schedule: Action[] = [
      tick(0),
      tick(1),
      { kind: 'clock', node: 0, rate: -1 },
      { kind: 'clock', node: 1, rate: 4 },
      tick(0),
      tick(1),
    ];
    expect(runSystem(clocked(), schedule).nodes.map((n) => n.state)).toEqual([
      [1, 5],
      [2, 6],
    ]);
    const skewed = runSystem(clocked(1 / 4), schedule);
    // From step 4 on n1 runs at 3/4 and n2 (rate 4 is taken modulo 3: fast) at 5/4.
    expect(skewed.nodes.map((n) => n.state)).toEqual([
      [1, 3 + 2 * 0.75],
      [2, 4 + 2 * 1.25],
    ]);
    expect(skewed.events.filter((e) => e.f === 'clock').map((e) => e.value)).toEqual([
      ['n1', 0.75],
      ['n2', 1.25],
    ]);
    expect(runSystem(clocked(), schedule).trace[2]!.noop).toBe('the system declares no clock drift');
  });
});
