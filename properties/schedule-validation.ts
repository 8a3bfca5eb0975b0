import type { ActionKind } from '../models/index.ts';
import { OP_FUNCTIONS } from '../models/index.ts';
import type { ScheduleShape } from './arbitraries/shape.ts';

// A schedule read from a file is checked before it runs. The model would take anything (a number out
// of range is taken modulo, an unknown action is a no-op), but a schedule someone edited by hand
// deserves to hear which action is wrong rather than to replay as something else: node 99 of 3 would
// quietly be node 0, a cas among appends would mix two workloads in one history.

/**
 * What the preset a schedule runs on has: node, client and key numbers are 0 up to these (node numbers
 * up to its largest cluster, as schedules are drawn: a smaller one takes them modulo its size).
 */
type ScheduleSizes = Pick<ScheduleShape, 'nodes' | 'sizes' | 'clients' | 'keys'>;

type Sized = 'nodes' | 'clients' | 'keys';

/** The integer fields of each action, and which size (if any) bounds each. */
const NUMBER_FIELDS: Readonly<Record<ActionKind, readonly (readonly [string, Sized | null])[]>> = {
  cluster: [['nodes', null]],
  invoke: [
    ['client', 'clients'],
    ['key', 'keys'],
  ],
  timeout: [['client', 'clients']],
  retry: [['client', 'clients']],
  deliver: [['pick', null]],
  drop: [['pick', null]],
  duplicate: [['pick', null]],
  tick: [['node', 'nodes']],
  crash: [['node', 'nodes']],
  restart: [['node', 'nodes']],
  pause: [['node', 'nodes']],
  resume: [['node', 'nodes']],
  partition: [],
  cut: [
    ['from', 'nodes'],
    ['to', 'nodes'],
  ],
  heal: [],
  clock: [
    ['node', 'nodes'],
    ['rate', null],
  ],
  promote: [['node', 'nodes']],
  demote: [['node', 'nodes']],
};

const SINGULAR: Readonly<Record<Sized, string>> = { nodes: 'node', clients: 'client', keys: 'key' };

/** The operations of each workload; a schedule keeps to one, as a generated one does. */
const WORKLOADS = [
  { name: 'register', fs: ['read', 'write', 'cas'] },
  { name: 'list-append', fs: ['read', 'append'] },
] as const;

/**
 * What is wrong with `schedule`, or null when it is a list of actions (each within `sizes`, when
 * given): the action's position, the field, and what exists.
 */
export function validateSchedule(schedule: unknown, sizes?: ScheduleSizes): string | null {
  if (!Array.isArray(schedule)) return 'expected a list of actions';
  let workloadSeen: { readonly f: string; readonly at: number } | undefined;
  for (let i = 0; i < schedule.length; i++) {
    const problem = actionProblem(schedule[i], sizes) ?? clusterProblem(schedule[i], i, sizes);
    if (problem) return `action ${i + 1}: ${problem}`;
    const { kind, f } = schedule[i] as { kind: string; f?: string };
    if (kind !== 'invoke' || f === 'read') continue;
    if (workloadSeen === undefined) workloadSeen = { f: f as string, at: i };
    else if (
      !WORKLOADS.some((w) => (w.fs as readonly string[]).includes(workloadSeen!.f) && (w.fs as readonly string[]).includes(f as string))
    ) {
      return `action ${i + 1}: a ${f} in a schedule with a ${workloadSeen.f} (action ${workloadSeen.at + 1}): a schedule keeps to one workload, ${WORKLOADS.map((w) => `${w.name} (${w.fs.join(', ')})`).join(' or ')}`;
    }
  }
  return null;
}

/** A cluster size is chosen first, and among the sizes the preset runs at. */
function clusterProblem(action: unknown, at: number, sizes: ScheduleSizes | undefined): string | null {
  const { kind, nodes } = action as { kind: string; nodes: number };
  if (kind !== 'cluster') return null;
  if (at > 0) return "a cluster is chosen by a schedule's first action only";
  const runs = sizes && (sizes.sizes ?? [sizes.nodes]);
  if (runs && !runs.includes(nodes)) return `cluster's "nodes" is ${nodes}, but the preset runs at ${runs.join(', ')} nodes`;
  return null;
}

function actionProblem(action: unknown, sizes: ScheduleSizes | undefined): string | null {
  if (typeof action !== 'object' || action === null || Array.isArray(action))
    return `expected an object like {"kind": "deliver", "pick": 0}, got ${JSON.stringify(action)}`;
  const record = action as Record<string, unknown>;
  const kind = record.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(NUMBER_FIELDS, kind)) {
    return `unknown kind ${JSON.stringify(kind)} (one of ${Object.keys(NUMBER_FIELDS).join(', ')})`;
  }
  const fields: readonly (readonly [string, Sized | null])[] = [
    ...NUMBER_FIELDS[kind as ActionKind],
    ...(kind === 'invoke' && record.node !== undefined ? [['node', 'nodes'] as const] : []),
    ...(kind === 'invoke' && record.pick !== undefined ? [['pick', null] as const] : []),
  ];
  for (const [field, size] of fields) {
    const value = record[field];
    if (!Number.isInteger(value)) return `${kind} needs an integer "${field}", got ${JSON.stringify(value)}`;
    // A message pick may count from the newest end (-1: the newest in flight); nothing else may be negative.
    if ((value as number) < 0 && field !== 'pick') return `${kind}'s "${field}" must be 0 or more, got ${value}`;
    if (size && sizes && (value as number) >= sizes[size]) {
      return `${kind}'s "${field}" is ${SINGULAR[size]} ${value}, but the preset has ${sizes[size]} ${size} (0 to ${sizes[size] - 1})`;
    }
  }
  if (kind === 'invoke' && !OP_FUNCTIONS.includes(record.f as never))
    return `invoke needs "f" one of ${OP_FUNCTIONS.join(', ')}, got ${JSON.stringify(record.f)}`;
  if (kind === 'partition') {
    const groups = record.groups;
    if (!(Array.isArray(groups) && groups.every((g) => Number.isInteger(g) && g >= 0))) {
      return `partition needs "groups", a list of group numbers (0 or more), one per node, got ${JSON.stringify(groups)}`;
    }
    if (sizes && groups.length > sizes.nodes)
      return `partition's "groups" names groups for ${groups.length} nodes, but the preset has ${sizes.nodes}`;
  }
  return null;
}
