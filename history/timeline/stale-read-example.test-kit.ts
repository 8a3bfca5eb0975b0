import type { Anomaly } from '../anomaly.ts';
import type { Event } from '../event.ts';
import type { History } from '../operation.ts';
import { buildHistory } from '../operation.ts';

/** A written value that tries to break out of the page. */
export const HOSTILE_VALUE = '</script><script>window.__pwned = 1</script><!--';

export interface Example {
  readonly history: History;
  readonly anomalies: readonly Anomaly[];
}

/**
 * A small history with everything the timeline draws: role annotations, a partition (nemesis events)
 * after which the isolated old leader n1 serves a stale read and acknowledges a write while n2 leads
 * epoch 2 (a dual leader), an indeterminate write, a failed cas, and a hostile value.
 */
export function staleReadExample(): Example {
  const ms = 1_000_000;
  const raw: Omit<Event, 'time'>[] = [
    { type: 'info', process: 'cluster', f: 'role', node: 'n1', value: 'leader', epoch: 1 },
    { type: 'info', process: 'cluster', f: 'role', node: 'n2', value: 'follower', epoch: 1 },
    { type: 'info', process: 'cluster', f: 'role', node: 'n3', value: 'follower', epoch: 1 },
    { type: 'invoke', process: 0, f: 'write', value: 1 },
    { type: 'ok', process: 0, f: 'write', value: 1, node: 'n1', epoch: 1 },
    { type: 'invoke', process: 1, f: 'read', value: null },
    { type: 'ok', process: 1, f: 'read', value: 1, node: 'n2', epoch: 1 },
    { type: 'info', process: 'nemesis', f: 'start-partition', value: 'isolate n1' },
    { type: 'info', process: 'nemesis', f: 'start-partition', value: { isolated: ['n1'] } },
    { type: 'info', process: 'cluster', f: 'role', node: 'n2', value: 'candidate', epoch: 2 },
    { type: 'info', process: 'cluster', f: 'role', node: 'n2', value: 'leader', epoch: 2 },
    { type: 'info', process: 'cluster', f: 'role', node: 'n3', value: 'follower', epoch: 2 },
    { type: 'invoke', process: 2, f: 'write', value: 2 },
    { type: 'ok', process: 2, f: 'write', value: 2, node: 'n2', epoch: 2 },
    { type: 'invoke', process: 0, f: 'read', value: null },
    { type: 'ok', process: 0, f: 'read', value: 1, node: 'n1', epoch: 1 },
    { type: 'invoke', process: 4, f: 'write', value: 5 },
    { type: 'ok', process: 4, f: 'write', value: 5, node: 'n1', epoch: 1 },
    { type: 'invoke', process: 1, f: 'write', value: 3 },
    { type: 'invoke', process: 3, f: 'write', value: HOSTILE_VALUE },
    { type: 'info', process: 1, f: 'write', value: 3, error: 'timeout' },
    { type: 'ok', process: 3, f: 'write', value: HOSTILE_VALUE, node: 'n2', epoch: 2 },
    { type: 'info', process: 'nemesis', f: 'stop-partition', value: null },
    { type: 'info', process: 'nemesis', f: 'stop-partition', value: 'fully connected' },
    { type: 'info', process: 'cluster', f: 'role', node: 'n1', value: 'follower', epoch: 2 },
    { type: 'invoke', process: 2, f: 'read', value: null },
    { type: 'ok', process: 2, f: 'read', value: HOSTILE_VALUE, node: 'n2', epoch: 2 },
    { type: 'invoke', process: 0, f: 'cas', value: [2, 4] },
    { type: 'fail', process: 0, f: 'cas', value: [2, 4], error: 'precondition failed' },
  ];
  const history = buildHistory(raw.map((event, i) => ({ ...event, time: i * 3 * ms + (i % 3) * ms })));
  const anomalies: Anomaly[] = [
    {
      kind: 'stale-read',
      ops: [2, 3],
      reason: 'read 1 at n1 (epoch 1) began after write 2 was acknowledged at n2 (epoch 2)',
    },
    {
      kind: 'dual-leader',
      ops: [2, 4],
      events: [0, 10],
      reason: 'n1 (epoch 1) and n2 (epoch 2) were both leaders at once, and both acknowledged writes: #2 by n2, #4 by n1',
    },
  ];
  return { history, anomalies };
}
