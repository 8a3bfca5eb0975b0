// The details shown on hover, built with textContent only: whatever a history holds stays text.
import { formatDuration } from './format.ts';
import type { NodeRow, Operations, TimelineModel } from './history-model.ts';
import { EVENT_TYPE_NAMES, INFO, RESULT_NAMES } from './history-model.ts';
import type { Hit } from './hit-test.ts';
import type { Selection } from './selection.ts';

type TooltipWriter = ReturnType<typeof tooltipWriter>;

export function showTooltip(
  element: HTMLElement,
  model: TimelineModel,
  selection: Selection,
  hit: Hit,
  clientX: number,
  clientY: number,
): void {
  const tip = tooltipWriter(element);
  element.replaceChildren();
  element.removeAttribute('data-op');
  if ('op' in hit) {
    element.dataset.op = String(hit.op);
    describeOp(tip, model, selection, hit.op);
  } else if ('faults' in hit) describeFaults(tip, model, hit.faults);
  else describeSegment(tip, model, model.nodes[hit.node], hit.segment);
  element.hidden = false;
  // Beside the cursor, flipped to the other side where the window ends.
  const width = element.offsetWidth;
  const height = element.offsetHeight;
  element.style.left = `${clientX + 16 + width > window.innerWidth ? Math.max(4, clientX - 16 - width) : clientX + 16}px`;
  element.style.top = `${clientY + 16 + height > window.innerHeight ? Math.max(4, clientY - 12 - height) : clientY + 16}px`;
}

function tooltipWriter(element: HTMLElement) {
  const add = (tag: string, className?: string, text?: string) => {
    const child = document.createElement(tag);
    if (className) child.className = className;
    if (text !== undefined) child.textContent = text;
    element.append(child);
    return child;
  };
  return {
    title: (text: string) => add('div', 'title', text),
    note: (text: string) => add('div', 'finding', text),
    /** Rows of [name, value]; empty values are left out. */
    rows: (rows: readonly (readonly [string, string | null | undefined])[]) => {
      const list = add('dl');
      for (const [name, value] of rows) {
        if (value === undefined || value === null || value === '') continue;
        const term = document.createElement('dt');
        term.textContent = name;
        const detail = document.createElement('dd');
        detail.textContent = value;
        list.append(term, detail);
      }
    },
    findings: (model: TimelineModel, indices: readonly number[] | undefined) => {
      for (const index of indices ?? []) {
        const finding = model.findings[index];
        add('div', 'finding', `${finding.kind}${finding.key === null ? '' : ` (key ${finding.key})`}: ${finding.reason}`);
      }
    },
  };
}

function describeOp(tip: TooltipWriter, model: TimelineModel, selection: Selection, id: number): void {
  const { ops, text } = model;
  const { columns } = ops;
  tip.title(`${text(columns.f[id])} · process ${model.processes[columns.lane[id]]} · op ${id}`);
  const output = columns.output[id];
  const complete = ops.complete[id];
  tip.rows([
    ['key', columns.key ? text(columns.key[id]) : ''],
    ...(output === 0
      ? [['value', text(columns.input[id])] as const]
      : [['input', text(columns.input[id])] as const, ['output', text(output)] as const]),
    ['result', resultText(ops, id)],
    ['node', columns.node ? text(columns.node[id]) : ''],
    ['epoch', columns.epoch && columns.epoch[id] >= 0 ? String(columns.epoch[id]) : ''],
    ['events', `${ops.invoke[id]} → ${complete < 0 ? 'never completed' : complete}`],
    ['time', timeText(model.times, ops.invoke[id], complete)],
    ['error', ops.errors.has(id) ? text(ops.errors.get(id) as number) : ''],
  ]);
  const rank = selection.prefixRank.get(id);
  if (rank !== undefined) tip.note(`#${rank + 1} in the longest linearizable prefix`);
  tip.findings(model, model.findingsOfOp.get(id));
}

function resultText(ops: Operations, id: number): string {
  const result = ops.result[id];
  if (result !== INFO) return RESULT_NAMES[result];
  return ops.complete[id] < 0
    ? 'info: never completed, may take effect any time'
    : 'info: indeterminate, may take effect any time after invocation';
}

function timeText(times: Float64Array | null, invoke: number, complete: number): string {
  if (!times || Number.isNaN(times[invoke])) return '';
  const origin = times[0];
  const started = formatDuration(times[invoke] - origin);
  if (complete < 0 || Number.isNaN(times[complete])) return `${started} → ?`;
  return `${started} → ${formatDuration(times[complete] - origin)} (${formatDuration(times[complete] - times[invoke])})`;
}

function describeFaults(tip: TooltipWriter, model: TimelineModel, list: readonly number[]): void {
  const { faults, times, text } = model;
  tip.title(list.length === 1 ? 'fault' : `${list.length} faults`);
  for (const i of list.slice(0, 6)) {
    const event = faults.at[i];
    tip.rows([
      ['f', text(faults.f[i])],
      ['process', text(faults.process[i])],
      ['type', EVENT_TYPE_NAMES[faults.type[i]]],
      ['value', text(faults.value[i])],
      ['event', String(event)],
      ['time', times && !Number.isNaN(times[event]) ? formatDuration(times[event] - times[0]) : ''],
    ]);
    tip.findings(model, model.findingsOfEvent.get(event));
  }
  if (list.length > 6) tip.note(`and ${list.length - 6} more here; zoom in to tell them apart`);
}

function describeSegment(tip: TooltipWriter, model: TimelineModel, node: NodeRow, k: number): void {
  const [start, end, role, epoch] = node.segments.slice(k, k + 4);
  const shownEpoch = ['epoch', epoch >= 0 ? String(epoch) : 'unknown'] as const;
  if (node.source === 'ops') {
    tip.title(`${node.name} acknowledged operations`);
    tip.rows([shownEpoch, ['events', `${start} → ${end}`], ['role', 'not annotated: inferred from ok operations']]);
    return;
  }
  tip.title(`${node.name} · ${model.text(role)}`);
  tip.rows([shownEpoch, ['events', `${start} → ${end >= model.eventCount ? 'end' : end}`]]);
  tip.findings(model, model.findingsOfEvent.get(start));
}
