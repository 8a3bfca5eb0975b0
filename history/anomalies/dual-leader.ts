import { firstGreater } from '../algorithms/first-greater.ts';
import type { Anomaly } from '../anomaly.ts';
import { isClientProcess, ROLE_ANNOTATION } from '../event.ts';
import type { History, Operation } from '../operation.ts';
import { isWrite } from '../operation.ts';

/**
 * Two leaders at once, proved from node, epoch and role annotations (a list-append history's forked
 * log is its own workload's finding: workloads/list-append/):
 * - one epoch, two nodes: two nodes acknowledged writes (or were announced leader by role annotations)
 *   under the same epoch, which a single-leader protocol gives to one node only;
 * - overlapping leadership: role annotations show two nodes as leaders over overlapping stretches of the
 *   history, and each acknowledged a write within the overlap, the older one a write invoked after the
 *   newer one was announced (a deposed leader that still believes it leads is normal, and so is one
 *   finishing a write it took before; one that takes new writes is the anomaly).
 */
export function dualLeadersFromAnnotations(history: History): Anomaly[] {
  return [...sameEpoch(history), ...overlappingLeaders(history)];
}

interface LeaderSpell {
  readonly node: string;
  readonly epoch?: number;
  /** The role annotation that made it leader (a History.events position)... */
  readonly start: number;
  /** ...and the next annotation of that node's role, or the end of the history. */
  readonly end: number;
}

function leaderSpells(history: History): LeaderSpell[] {
  const spells: LeaderSpell[] = [];
  const open = new Map<string, { epoch?: number; start: number }>();
  for (const index of history.markers) {
    const event = history.events[index];
    if (isClientProcess(event.process) || event.f !== ROLE_ANNOTATION || event.node === undefined) continue;
    const current = open.get(event.node);
    if (current) {
      spells.push({ node: event.node, ...current, end: index });
      open.delete(event.node);
    }
    if (event.value === 'leader') open.set(event.node, { ...(event.epoch !== undefined && { epoch: event.epoch }), start: index });
  }
  for (const [node, current] of open) spells.push({ node, ...current, end: history.events.length });
  return spells.sort((a, b) => a.start - b.start);
}

function sameEpoch(history: History): Anomaly[] {
  const byEpoch = new Map<number, Map<string, { op?: number; event?: number }>>();
  const note = (epoch: number, node: string, proof: { op?: number; event?: number }) => {
    let nodes = byEpoch.get(epoch);
    if (!nodes) {
      nodes = new Map();
      byEpoch.set(epoch, nodes);
    }
    const known = nodes.get(node) ?? {};
    nodes.set(node, { op: known.op ?? proof.op, event: known.event ?? proof.event });
  };
  for (const op of history.operations) {
    if (op.result === 'ok' && op.node !== undefined && op.epoch !== undefined && isWrite(op)) note(op.epoch, op.node, { op: op.id });
  }
  for (const spell of leaderSpells(history)) if (spell.epoch !== undefined) note(spell.epoch, spell.node, { event: spell.start });
  const anomalies: Anomaly[] = [];
  for (const [epoch, nodes] of byEpoch) {
    if (nodes.size < 2) continue;
    const proofs = [...nodes].sort((a, b) => (a[1].op ?? Infinity) - (b[1].op ?? Infinity));
    const ops = proofs.flatMap(([, p]) => (p.op === undefined ? [] : [p.op]));
    const events = proofs.flatMap(([, p]) => (p.event === undefined ? [] : [p.event]));
    const how = proofs
      .map(([node, p]) => (p.op !== undefined ? `${node} acknowledged #${p.op}` : `${node} was announced leader`))
      .join(', ');
    anomalies.push({
      kind: 'dual-leader',
      ops,
      ...(events.length > 0 && { events }),
      reason: `${proofs.length} nodes acted as leader in epoch ${epoch} (${how}): one epoch has one leader`,
    });
  }
  return anomalies;
}

function overlappingLeaders(history: History): Anomaly[] {
  const spells = leaderSpells(history);
  if (spells.length < 2) return [];
  const acks = new Map<string, Operation[]>();
  for (const op of history.operations) {
    if (op.result !== 'ok' || op.node === undefined || !isWrite(op)) continue;
    const list = acks.get(op.node);
    if (list) list.push(op);
    else acks.set(op.node, [op]);
  }
  const completions = new Map<string, number[]>();
  for (const [node, list] of acks) {
    list.sort((a, b) => a.completeIndex - b.completeIndex);
    completions.set(
      node,
      list.map((op) => op.completeIndex),
    );
  }
  /** The first write `node` acknowledged between `from` and `to` that was invoked after `invokedAfter`. */
  const ackWithin = (node: string, from: number, to: number, invokedAfter = -1): Operation | undefined => {
    const list = acks.get(node) ?? [];
    for (let i = firstGreater(completions.get(node) ?? [], from); i < list.length && list[i].completeIndex < to; i++) {
      if (list[i].invokeIndex > invokedAfter) return list[i];
    }
    return undefined;
  };
  const anomalies: Anomaly[] = [];
  for (let a = 0; a < spells.length; a++) {
    for (let b = a + 1; b < spells.length && spells[b].start < spells[a].end; b++) {
      const [first, second] = [spells[a], spells[b]];
      if (first.node === second.node || (first.epoch !== undefined && first.epoch === second.epoch)) continue;
      const from = second.start;
      const to = Math.min(first.end, second.end);
      const last = Math.min(to, history.events.length - 1);
      // A deposed leader may still finish a write it took before its successor was announced (Raft's
      // old leader committing an entry the new one already holds); taking a write after is split brain.
      const [older, newer] =
        second.epoch !== undefined && first.epoch !== undefined && second.epoch < first.epoch ? [second, first] : [first, second];
      const byFirst = ackWithin(first.node, from, to, first === older ? newer.start : -1);
      const bySecond = ackWithin(second.node, from, to, second === older ? newer.start : -1);
      if (!byFirst || !bySecond) continue;
      const ops = [byFirst, bySecond].sort((x, y) => x.completeIndex - y.completeIndex);
      anomalies.push({
        kind: 'dual-leader',
        ops: ops.map((op) => op.id),
        events: [first.start, second.start],
        window: { from, to: last },
        reason:
          `${first.node}${epochOf(first)} led from event ${first.start} ${until(first, history)}, ${second.node}${epochOf(second)} from event ${second.start} ` +
          `${until(second, history)}: both were leaders from event ${from} to event ${last}, and both acknowledged writes then: ` +
          `#${byFirst.id} by ${first.node}, #${bySecond.id} by ${second.node}`,
      });
    }
  }
  return anomalies;
}

function until(spell: LeaderSpell, history: History): string {
  return spell.end >= history.events.length ? 'to the end' : `until event ${spell.end}`;
}

function epochOf(spell: LeaderSpell): string {
  return spell.epoch === undefined ? '' : ` (epoch ${spell.epoch})`;
}
