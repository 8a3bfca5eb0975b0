// Lanes: one per client process; or per worker, where a process that crashed hands its lane to the
// process that replaced it (as Jepsen numbers them), so a long history keeps as many lanes as it had
// clients at once; or per key and process. A process runs one operation at a time, so in every mode the
// bars in a lane never overlap and stay sorted by both ends: the drawing and hovering rely on it.

import type { TimelineModel } from './history-model.ts';
import { INFO } from './history-model.ts';

export type LaneMode = 'process' | 'worker' | 'key';

export interface Lane {
  /** The process, or the worker. */
  readonly number: number;
  /** The key's position in the strings; 0 unless lanes are per key. */
  readonly key: number;
  readonly label: string;
  /** The lane's op ids, in invocation order. */
  readonly ids: Int32Array;
  /** The lane's first indeterminate op, -1 when none. */
  readonly tailFrom: number;
}

export interface Lanes {
  readonly list: readonly Lane[];
  /** Each op's lane, by op id. */
  readonly laneOf: Int32Array;
}

export function buildLanes(model: TimelineModel, mode: LaneMode): Lanes {
  const { ops, processes, text } = model;
  const workerOf = mode === 'worker' ? assignWorkers(model) : null;
  const keys = mode === 'key' ? ops.columns.key : null;
  const groups = new Map<number | string, { number: number; key: number; ids: number[] }>();
  const laneOf = new Int32Array(ops.count);
  for (let i = 0; i < ops.count; i++) {
    const process = processes[ops.columns.lane[i]];
    const key = keys ? keys[i] : 0;
    const worker = workerOf ? (workerOf.get(process) as number) : -1;
    const id = workerOf ? worker : `${key} ${process}`;
    let group = groups.get(id);
    if (!group) {
      group = { number: workerOf ? worker : process, key, ids: [] };
      groups.set(id, group);
    }
    group.ids.push(i);
  }
  const sorted = [...groups.values()].sort((a, b) => compareKeys(text(a.key), text(b.key)) || a.number - b.number);
  const list = sorted.map((group, index): Lane => {
    for (const id of group.ids) laneOf[id] = index;
    return {
      number: group.number,
      key: group.key,
      label: mode === 'key' ? `${text(group.key) || '–'}  p${group.number}` : mode === 'worker' ? `w${group.number}` : `p${group.number}`,
      ids: Int32Array.from(group.ids),
      // Every indeterminate op may take effect until the end, so a lane's tails merge into one, starting
      // at its first indeterminate op.
      tailFrom: group.ids.find((id) => ops.result[id] === INFO) ?? -1,
    };
  });
  return { list, laneOf };
}

/** A lane per process, unless crashes multiplied them: 2,000 processes, 10 at a time, read better as 10 workers. */
export function defaultLaneMode(model: TimelineModel): LaneMode {
  const processes = model.processes.length;
  const workers = new Set(assignWorkers(model).values()).size;
  return processes > 64 && processes >= 4 * workers ? 'worker' : 'process';
}

// Each process, in order of its first invocation, takes the lowest-numbered worker lane free since
// before it began. A process with an op that never completes holds its lane to the end.
function assignWorkers({ ops, processes, eventCount }: TimelineModel): Map<number, number> {
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  for (let i = 0; i < ops.count; i++) {
    const process = processes[ops.columns.lane[i]];
    if (!first.has(process)) first.set(process, ops.invoke[i]);
    last.set(process, ops.complete[i] < 0 ? eventCount : ops.complete[i]);
  }
  const busyUntil: number[] = [];
  const workerOf = new Map<number, number>();
  for (const [process, start] of [...first].sort((a, b) => a[1] - b[1])) {
    let worker = busyUntil.findIndex((end) => end < start);
    if (worker < 0) worker = busyUntil.length;
    busyUntil[worker] = last.get(process) as number;
    workerOf.set(process, worker);
  }
  return workerOf;
}

/** Keys that read as numbers sort as numbers. */
function compareKeys(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}
