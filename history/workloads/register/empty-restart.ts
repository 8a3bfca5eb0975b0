import type { Anomaly } from '../../anomaly.ts';
import type { Key } from '../../event.ts';
import type { History, Operation } from '../../operation.ts';
import { isWrite } from '../../operation.ts';
import type { Value } from '../../value.ts';

// A node that restarts with nothing (a database without persistence: the recorder's restart event says
// `"empty": true`) and then serves as the primary has lost every write acknowledged before the restart,
// whatever the reads show: on a register, later overwrites hide the loss from every read, and what a
// read does see (an initial value) looks like a stale read of the first write. Named as what it is.

/** One lost-write per empty restart as primary that the node then served from. */
export function emptyRestartLostWrites(history: History): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const index of history.markers) {
    const event = history.events[index];
    if (event.process !== 'nemesis' || event.f !== 'restart' || !restartedEmptyAsPrimary(event.value)) continue;
    const node = event.node ?? field(event.value, 'node');
    if (typeof node !== 'string') continue;
    const served = history.operations.find((op) => op.node === node && op.result === 'ok' && op.invokeIndex > index);
    if (!served) continue;
    const lastByKey = new Map<Key | undefined, Operation>();
    let acknowledged = 0;
    for (const op of history.operations) {
      if (op.result !== 'ok' || op.completeIndex > index || !isWrite(op)) continue;
      acknowledged++;
      const known = lastByKey.get(op.key);
      if (!known || known.completeIndex < op.completeIndex) lastByKey.set(op.key, op);
    }
    if (acknowledged === 0) continue;
    const last = [...lastByKey.values()].sort((a, b) => a.completeIndex - b.completeIndex);
    const keys = lastByKey.size === 1 && lastByKey.has(undefined) ? '' : ` on each of the ${lastByKey.size} key(s)`;
    anomalies.push({
      kind: 'lost-write',
      ops: [...last.map((op) => op.id), served.id],
      events: [index],
      reason:
        `${node} restarted empty (event ${index}) and served as the primary (#${served.id}): all ${acknowledged} write(s) acknowledged ` +
        `before the restart were lost; the last${keys}: ${last.map((op) => `#${op.id}`).join(', ')}`,
    });
  }
  return anomalies;
}

function restartedEmptyAsPrimary(value: Value): boolean {
  return field(value, 'empty') === true && field(value, 'as') === 'primary';
}

function field(value: Value, name: string): Value | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return (value as { readonly [field: string]: Value })[name];
}
