import type { Event } from '../event.ts';
import { buildHistory } from '../operation.ts';
import type { History } from '../operation.ts';

export interface SyntheticOptions {
  readonly operations: number;
  readonly processes?: number;
  readonly keys?: number;
  readonly seed?: number;
}

/**
 * A seeded register history of any size for measuring the page: concurrent clients writing unique
 * values and reading, some failing or timing out, a partition every few hundred operations with the
 * leadership moving (role annotations), node and epoch on every acknowledgement. Not meant to be valid.
 */
export function syntheticHistory({ operations, processes = 10, keys = 0, seed = 1 }: SyntheticOptions): History {
  const random = mulberry32(seed);
  const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
  const events: Event[] = [];
  const pending: (Event | null)[] = new Array(processes).fill(null);
  const clients = Array.from({ length: processes }, (_, i) => i);
  let time = 0;
  let epoch = 1;
  let leader = 0;
  let invoked = 0;
  let nextValue = 0;
  let lastWritten = 0;
  const emit = (event: Omit<Event, 'time'>) => {
    time += 1 + Math.floor(random() * 2000);
    events.push({ ...event, time });
  };
  for (const [i, node] of nodes.entries()) {
    emit({ type: 'info', process: 'cluster', f: 'role', node, value: i === leader ? 'leader' : 'follower', epoch });
  }
  while (invoked < operations || pending.some((event) => event !== null)) {
    const slot = Math.floor(random() * processes);
    const open = pending[slot];
    if (open === null) {
      if (invoked >= operations) continue;
      if (invoked > 0 && invoked % 400 === 0) {
        ({ epoch, leader } = failOver(emit, nodes, epoch, leader, random));
      }
      const key = keys > 0 ? Math.floor(random() * keys) : undefined;
      const write = random() < 0.5;
      const invocation: Event = {
        type: 'invoke',
        process: clients[slot],
        f: write ? 'write' : 'read',
        value: write ? ++nextValue : null,
        ...(key !== undefined && { key }),
      };
      emit(invocation);
      pending[slot] = invocation;
      invoked++;
      continue;
    }
    const roll = random();
    const node = nodes[roll < 0.8 ? leader : Math.floor(random() * nodes.length)];
    const { process, f, key } = open;
    const base = { process, f, ...(key !== undefined && { key }) };
    if (roll < 0.02) {
      emit({ ...base, type: 'info', value: open.value, error: 'timeout' });
      // A crashed client's process never returns: Jepsen starts a new one.
      clients[slot] += processes;
    } else if (roll < 0.05) {
      emit({ ...base, type: 'fail', value: open.value, error: 'not leader' });
    } else {
      if (f === 'write') lastWritten = open.value as number;
      const value = f === 'write' ? open.value : roll < 0.97 ? lastWritten : Math.max(0, lastWritten - 1);
      emit({ ...base, type: 'ok', value, node, epoch });
    }
    pending[slot] = null;
  }
  return buildHistory(events);
}

function failOver(
  emit: (event: Omit<Event, 'time'>) => void,
  nodes: readonly string[],
  epoch: number,
  leader: number,
  random: () => number,
): { epoch: number; leader: number } {
  const next = (leader + 1 + Math.floor(random() * (nodes.length - 1))) % nodes.length;
  emit({ type: 'info', process: 'nemesis', f: 'start-partition', value: null });
  emit({ type: 'info', process: 'nemesis', f: 'start-partition', value: `isolated ${nodes[leader]}` });
  emit({ type: 'info', process: 'cluster', f: 'role', node: nodes[next], value: 'leader', epoch: epoch + 1 });
  emit({ type: 'info', process: 'cluster', f: 'role', node: nodes[leader], value: 'follower', epoch: epoch + 1 });
  emit({ type: 'info', process: 'nemesis', f: 'stop-partition', value: null });
  emit({ type: 'info', process: 'nemesis', f: 'stop-partition', value: 'healed' });
  return { epoch: epoch + 1, leader: next };
}

/** A small seeded generator: same seed, same history, byte for byte. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
