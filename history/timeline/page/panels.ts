// The page around the canvas: the summary line, the findings list and the legend, all from the model.
import { formatCount } from './format.ts';
import type { Finding, TimelineModel } from './history-model.ts';
import { FAIL, INFO } from './history-model.ts';

export function fillSummary(element: HTMLElement, model: TimelineModel): void {
  const { verdict } = model;
  if (verdict) {
    const badge = document.createElement('span');
    badge.className = `verdict ${verdict.verdict}`;
    badge.textContent = verdict.verdict;
    badge.title = `model: ${verdict.model}`;
    element.append(badge);
  }
  const facts = [
    formatCount(model.ops.count, 'operation'),
    formatCount(model.processes.length, 'process', 'processes'),
    formatCount(model.eventCount, 'event'),
    model.faults.at.length > 0 ? formatCount(model.faults.at.length, 'fault event') : '',
    model.nodes.length > 0 ? formatCount(model.nodes.length, 'node') : '',
    verdict ? `model ${verdict.model}` : '',
    formatCount(model.findings.length, 'finding'),
  ];
  for (const fact of facts.filter(Boolean)) {
    const span = document.createElement('span');
    span.textContent = fact;
    element.append(span);
  }
}

// A history can have thousands of anomalies; the list shows the first thousand, the timeline all.
const LISTED_FINDINGS = 1000;

/** Lists the findings; `choose(index)` runs when one is clicked or entered. */
export function fillFindings(list: HTMLElement, model: TimelineModel, choose: (index: number) => void): void {
  const { findings, check, verdict } = model;
  if (findings.length === 0) {
    const empty = document.createElement('p');
    empty.className = 'empty';
    empty.textContent =
      check && check.verdict === 'valid'
        ? `Linearizable (${check.model}); no anomaly named.`
        : verdict && verdict.verdict === 'valid'
          ? `Valid (${verdict.model}); no anomaly named.`
          : 'No anomaly named.';
    list.replaceWith(empty);
    return;
  }
  findings.slice(0, LISTED_FINDINGS).forEach((finding, index) => {
    list.append(findingItem(finding, index));
  });
  if (findings.length > LISTED_FINDINGS) {
    const more = document.createElement('li');
    more.className = 'more';
    more.textContent = `and ${findings.length - LISTED_FINDINGS} more (all are highlighted on the timeline)`;
    list.append(more);
  }
  const chosen = (event: Event) => {
    const item = (event.target as Element).closest<HTMLElement>('li[data-finding]');
    if (item) choose(Number(item.dataset.finding));
  };
  list.addEventListener('click', chosen);
  list.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    chosen(event);
  });
}

function findingItem(finding: Finding, index: number): HTMLLIElement {
  const item = document.createElement('li');
  item.dataset.finding = String(index);
  item.setAttribute('aria-selected', 'false');
  item.tabIndex = 0;
  const kind = document.createElement('span');
  kind.className = `kind ${finding.kind.replace(/[^a-z-]/g, '-')}`;
  kind.textContent = finding.kind;
  item.append(kind);
  if (finding.key !== null) {
    const key = document.createElement('span');
    key.className = 'key';
    key.textContent = `key ${finding.key}`;
    item.append(key);
  }
  const reason = document.createElement('div');
  reason.className = 'reason';
  reason.textContent = finding.reason;
  const proof = document.createElement('div');
  proof.className = 'ops';
  proof.textContent = [
    finding.ops.length > 0 ? `ops ${finding.ops.slice(0, 12).join(', ')}${finding.ops.length > 12 ? ', …' : ''}` : '',
    finding.events.length > 0 ? `events ${finding.events.slice(0, 12).join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  item.append(reason, proof);
  return item;
}

/** Hides the legend entries for what this history does not have. */
export function fillLegend(model: TimelineModel): void {
  const { ops, faults, nodes, findingsOfOp, findingsOfEvent } = model;
  const hasRole = (role: string) =>
    nodes.some((node) => node.source === 'roles' && node.segments.some((v, k) => k % 4 === 2 && model.text(v) === role));
  const shown: Readonly<Record<string, boolean>> = {
    fault: faults.at.length > 0,
    info: ops.result.includes(INFO),
    fail: ops.result.includes(FAIL),
    highlight: findingsOfOp.size + findingsOfEvent.size > 0,
    served: nodes.some((node) => node.source === 'ops'),
    leader: hasRole('leader'),
    follower: hasRole('follower'),
    candidate: hasRole('candidate'),
    down: hasRole('down'),
  };
  for (const item of document.querySelectorAll<HTMLElement>('[data-legend]')) {
    if (shown[item.dataset.legend as string] === false) item.hidden = true;
  }
}
