import type { History } from '../operation.ts';
import type { Value } from '../value.ts';
import { describeValue, isValueObject } from '../value.ts';
import { keyValueWorkload } from './key-value/workload.ts';
import { listAppendWorkload } from './list-append/workload.ts';
import { registerWorkload } from './register/workload.ts';
import { setWorkload } from './set/workload.ts';
import type { WorkloadDefinition } from './workload-definition.ts';

// The workload registry: which kind of data a history's operations act on, recognised from their shapes,
// so the right checks and detectors run without the user saying. One record per workload (its folder's
// workload.ts); a new workload is its folder and a line here. Recognition asks the records in this order
// (messages list them in it too);
// a history none recognises is "other" (mutex, Knossos' multi-register txns of read/write micro-ops,
// mixtures): checked for linearizability with the model inferred from its operations.

const WORKLOADS = [registerWorkload, listAppendWorkload, keyValueWorkload, setWorkload] as const satisfies readonly WorkloadDefinition[];

type Registered = (typeof WORKLOADS)[number];

export type Workload = Registered['name'] | 'other';

/**
 * The workloads clients drive, in a simulated world (a System's clients) and against a real cluster (a
 * recorder): lin-kv registers, and list append.
 */
export type ClientWorkload = Extract<Workload, 'register' | 'list-append'>;

export const CLIENT_WORKLOADS: readonly ClientWorkload[] = ['register', 'list-append'];

/** The workloads on which every consistency level is checked. */
export type LevelWorkload = Extract<Registered, { readonly levels: 'all' }>['name'];

export function recogniseWorkload(history: History): Workload {
  const fs = new Set<string>();
  for (const op of history.operations) fs.add(op.f);
  return WORKLOADS.find((workload) => workload.recognise(fs, history))?.name ?? 'other';
}

/** The record of a registered workload; undefined for "other". */
export function workloadDefinition(workload: Workload): WorkloadDefinition | undefined {
  return WORKLOADS.find((w) => w.name === workload);
}

/** The names of the workloads every level is checked on, for messages. */
export function levelWorkloads(): LevelWorkload[] {
  return WORKLOADS.filter((w): w is Extract<Registered, { readonly levels: 'all' }> => w.levels === 'all').map((w) => w.name);
}

/**
 * Why a history looks like a workload leaderlog does not check (Jepsen's bank, counter, long-fork,
 * unique-ids, or reads of maps), so that it is refused rather than judged as the register it is not;
 * undefined when it looks like nothing of the kind.
 */
export function unsupportedWorkload(history: History): string | undefined {
  const fs = new Set<string>();
  for (const op of history.operations) fs.add(op.f);
  if (fs.has('transfer')) return 'looks like a bank workload (transfer operations between accounts)';
  if (fs.has('generate')) return 'looks like a unique-ids workload (generate operations)';
  const mapRead = history.operations.find((op) => op.f === 'read' && op.result === 'ok' && isValueObject(op.output));
  if (mapRead) {
    return `looks like a bank workload: read #${mapRead.id} returned a map, ${describeValue(mapRead.output, 40)}, and leaderlog checks no workload whose reads return maps`;
  }
  const microOps = history.operations.find((op) => (op.f === 'read' || op.f === 'write') && isMicroOpList(op.input));
  if (microOps) {
    return `looks like a long-fork workload: ${microOps.f} #${microOps.id} carries micro-ops ${describeValue(microOps.input, 40)} (multi-register histories use f txn)`;
  }
  if (fs.has('add') && !fs.has('broadcast')) {
    const numberRead = history.operations.find((op) => op.f === 'read' && op.result === 'ok' && isNumber(op.output));
    if (numberRead)
      return `looks like a counter workload: add operations, and read #${numberRead.id} returned the number ${describeValue(numberRead.output)}, not a set`;
  }
  return undefined;
}

function isNumber(value: Value): boolean {
  return typeof value === 'number' || typeof value === 'bigint';
}

/** Jepsen's transaction micro-ops, [:r k v] or [:w k v], as long-fork writes them under f read and write. */
function isMicroOpList(value: Value): boolean {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (micro: Value) =>
        Array.isArray(micro) && micro.length === 3 && (micro[0] === 'r' || micro[0] === 'w' || micro[0] === 'read' || micro[0] === 'write'),
    )
  );
}
