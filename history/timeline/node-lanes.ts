import type { Event } from '../event.ts';
import { isClientProcess, ROLE_ANNOTATION } from '../event.ts';
import type { History } from '../operation.ts';
import { describeBriefly } from './describe-briefly.ts';
import type { StringTable } from './string-table.ts';

/**
 * What is known of one node over the history. `roles`: from role annotations, each lasting until the
 * node's next one. `ops`: the node has no annotations, so its lane shows where it acknowledged operations
 * and under which epoch; what role it held is not known.
 */
export interface NodeLane {
  /** Position in the string table. */
  readonly node: number;
  readonly source: 'roles' | 'ops';
  /** Flat quadruples: start event, end event, role (string position; 0 when unknown), epoch (-1 when unknown). */
  readonly segments: number[];
}

export function isRoleAnnotation(event: Event): boolean {
  return !isClientProcess(event.process) && event.f === ROLE_ANNOTATION && typeof event.node === 'string';
}

/** One lane per node named by a role annotation or an ok operation, in name order. */
export function nodeLanes(history: History, strings: StringTable): NodeLane[] {
  const annotated = annotatedSegments(history, strings);
  const served = servedSegments(history, annotated);
  const lanes: NodeLane[] = [];
  for (const [node, segments] of annotated) lanes.push({ node: strings.ref(node), source: 'roles', segments });
  for (const [node, segments] of served) lanes.push({ node: strings.ref(node), source: 'ops', segments });
  const name = (lane: NodeLane) => strings.strings[lane.node] as string;
  return lanes.sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
}

function annotatedSegments(history: History, strings: StringTable): Map<string, number[]> {
  const byNode = new Map<string, number[]>();
  for (const index of history.markers) {
    const event = history.events[index];
    if (!isRoleAnnotation(event)) continue;
    const node = event.node as string;
    let segments = byNode.get(node);
    if (!segments) {
      segments = [];
      byNode.set(node, segments);
    }
    // The node's previous role lasted until this annotation.
    if (segments.length > 0) segments[segments.length - 3] = index;
    const role = typeof event.value === 'string' ? event.value : describeBriefly(event.value);
    segments.push(index, history.events.length, strings.ref(role), event.epoch ?? -1);
  }
  return byNode;
}

function servedSegments(history: History, annotated: ReadonlyMap<string, number[]>): Map<string, number[]> {
  const byNode = new Map<string, number[]>();
  for (const op of history.operations) {
    if (op.result !== 'ok' || op.node === undefined || annotated.has(op.node)) continue;
    const epoch = op.epoch ?? -1;
    let segments = byNode.get(op.node);
    if (!segments) {
      segments = [];
      byNode.set(op.node, segments);
    }
    const last = segments.length - 4;
    if (last >= 0 && segments[last + 3] === epoch) {
      segments[last + 1] = Math.max(segments[last + 1], op.completeIndex);
    } else {
      segments.push(op.invokeIndex, op.completeIndex, 0, epoch);
    }
  }
  return byNode;
}
