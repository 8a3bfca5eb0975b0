import type { ActionKind } from '../models/index.ts';
import { OP_FUNCTIONS } from '../models/index.ts';

// A schedule read from a file is checked before it runs. The model would take anything (a number out
// of range is taken modulo, an unknown action is a no-op), but a schedule someone edited by hand
// deserves to hear which action is wrong rather than to replay as something else.

const NUMBER_FIELDS: Readonly<Record<ActionKind, readonly string[]>> = {
  invoke: ['client', 'key'],
  timeout: ['client'],
  deliver: ['pick'],
  drop: ['pick'],
  duplicate: ['pick'],
  tick: ['node'],
  crash: ['node'],
  restart: ['node'],
  partition: [],
  cut: ['from', 'to'],
  heal: [],
  promote: ['node'],
  demote: ['node'],
};

/** What is wrong with `schedule`, or null when it is a list of actions. */
export function validateSchedule(schedule: unknown): string | null {
  if (!Array.isArray(schedule)) return 'expected a list of actions';
  for (let i = 0; i < schedule.length; i++) {
    const problem = actionProblem(schedule[i]);
    if (problem) return `action ${i + 1}: ${problem}`;
  }
  return null;
}

function actionProblem(action: unknown): string | null {
  if (typeof action !== 'object' || action === null || Array.isArray(action)) return `expected an object like {"kind": "deliver", "pick": 0}, got ${JSON.stringify(action)}`;
  const record = action as Record<string, unknown>;
  const kind = record.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(NUMBER_FIELDS, kind)) {
    return `unknown kind ${JSON.stringify(kind)} (one of ${Object.keys(NUMBER_FIELDS).join(', ')})`;
  }
  for (const field of NUMBER_FIELDS[kind as ActionKind]) {
    if (!Number.isInteger(record[field])) return `${kind} needs an integer "${field}", got ${JSON.stringify(record[field])}`;
  }
  for (const field of ['node', 'pick'] as const) {
    if (kind === 'invoke' && record[field] !== undefined && !Number.isInteger(record[field])) return `invoke's "${field}" must be an integer, got ${JSON.stringify(record[field])}`;
  }
  if (kind === 'invoke' && !OP_FUNCTIONS.includes(record.f as never)) return `invoke needs "f" one of ${OP_FUNCTIONS.join(', ')}, got ${JSON.stringify(record.f)}`;
  if (kind === 'partition' && !(Array.isArray(record.groups) && record.groups.every(Number.isInteger))) return `partition needs "groups", a list of integers, got ${JSON.stringify(record.groups)}`;
  return null;
}
