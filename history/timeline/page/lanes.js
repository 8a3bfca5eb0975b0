// Lanes: one per client process; or per worker, where a process that crashed hands its lane to the
// process that replaced it (as Jepsen numbers them), so a long history keeps as many lanes as it had
// clients at once; or per key and process. A process runs one operation at a time, so in every mode the
// bars in a lane never overlap and stay sorted by both ends: the drawing and hovering rely on it.

function buildLanes(model, mode) {
  const { ops, processes, text } = model;
  const workerOf = mode === 'worker' ? assignWorkers(model) : null;
  const groups = new Map();
  const laneOf = new Int32Array(ops.count);
  for (let i = 0; i < ops.count; i++) {
    const process = processes[ops.columns.lane[i]];
    const key = mode === 'key' ? ops.columns.key[i] : 0;
    const id = workerOf ? workerOf.get(process) : `${key} ${process}`;
    let lane = groups.get(id);
    if (!lane) {
      lane = { number: workerOf ? workerOf.get(process) : process, key, ids: [] };
      groups.set(id, lane);
    }
    lane.ids.push(i);
  }
  const list = [...groups.values()].sort((a, b) => compareKeys(text(a.key), text(b.key)) || a.number - b.number);
  list.forEach((lane, index) => {
    lane.label = mode === 'key' ? `${text(lane.key) || '–'}  p${lane.number}` : mode === 'worker' ? `w${lane.number}` : `p${lane.number}`;
    lane.ids = Int32Array.from(lane.ids);
    // Every indeterminate op may take effect until the end, so a lane's tails merge into one, starting
    // at its first indeterminate op.
    lane.tailFrom = lane.ids.find((id) => ops.result[id] === INFO) ?? -1;
    for (const id of lane.ids) laneOf[id] = index;
  });
  return { list, laneOf };
}

/** A lane per process, unless crashes multiplied them: 2,000 processes, 10 at a time, read better as 10 workers. */
function defaultLaneMode(model) {
  const processes = model.processes.length;
  const workers = new Set(assignWorkers(model).values()).size;
  return processes > 64 && processes >= 4 * workers ? 'worker' : 'process';
}

// Each process, in order of its first invocation, takes the lowest-numbered worker lane free since
// before it began. A process with an op that never completes holds its lane to the end.
function assignWorkers({ ops, processes, eventCount }) {
  const first = new Map();
  const last = new Map();
  for (let i = 0; i < ops.count; i++) {
    const process = processes[ops.columns.lane[i]];
    if (!first.has(process)) first.set(process, ops.invoke[i]);
    last.set(process, ops.complete[i] < 0 ? eventCount : ops.complete[i]);
  }
  const busyUntil = [];
  const workerOf = new Map();
  for (const [process, start] of [...first].sort((a, b) => a[1] - b[1])) {
    let worker = busyUntil.findIndex((end) => end < start);
    if (worker < 0) worker = busyUntil.length;
    busyUntil[worker] = last.get(process);
    workerOf.set(process, worker);
  }
  return workerOf;
}

/** Keys that read as numbers sort as numbers. */
function compareKeys(a, b) {
  const x = Number(a);
  const y = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}
