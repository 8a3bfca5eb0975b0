import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectAnomalies } from '../anomalies/detect-anomalies.ts';
import { shorthand } from '../anomalies/shorthand.test-kit.ts';
import { relaxedHistory } from '../anomalies/unlinearizable-core.ts';
import { checkConsistency } from '../consistency/check-consistency.ts';
import { consistencyTable } from '../consistency/consistency-table.ts';
import { readHistoryFile } from '../formats/read-history.ts';
import { checkHistory } from '../linearizability/check.ts';
import type { History } from '../operation.ts';
import { buildHistory } from '../operation.ts';
import { consistencyTableText, levelResultText } from './consistency.ts';
import { explainHistory, explanationJson, explanationText } from './explain.ts';
import type { TimeOptions } from './operation.ts';
import { operationLine } from './operation.ts';

const fixtures = fileURLToPath(new URL('../fixtures/knossos/', import.meta.url));
const histories = (folder: string) =>
  readdirSync(`${fixtures}${folder}`)
    .filter((name) => name.endsWith('.edn'))
    .map((name) => ({ name, history: readHistoryFile(`${fixtures}${folder}/${name}`) }));

const verdictWithRelaxed = (history: History, keep: readonly number[], model: string) => {
  const members = history.operations.filter((op) => op.result !== 'fail');
  return checkHistory(relaxedHistory(history, members, new Set(keep)), { model }).verdict;
};

describe('explanations of the Knossos bad histories', () => {
  for (const { name, history } of [...histories('cas-register/bad'), ...histories('mutex/bad')]) {
    it(`${name}: a named anomaly, or a set of operations that cannot be linearized together`, () => {
      const check = checkHistory(history);
      expect(check.verdict).toBe('invalid');
      const explanation = explainHistory(history, { check });
      const { anomalies } = explanation.findings;
      if (anomalies.length === 0) {
        expect(explanation.cores.length).toBeGreaterThan(0);
        for (const core of explanation.cores) {
          expect(verdictWithRelaxed(history, core.ops, check.model)).toBe('invalid');
          if (!core.minimal) continue;
          for (const dropped of core.ops) {
            expect(
              verdictWithRelaxed(
                history,
                core.ops.filter((id) => id !== dropped),
                check.model,
              ),
            ).toBe('valid');
          }
        }
      } else expect(explanation.cores).toEqual([]);
      const text = explanationText(history, explanation);
      expect(text.length).toBeGreaterThan(0);
      const json = JSON.parse(JSON.stringify(explanationJson(history, explanation)));
      expect(json.anomalies.length + json.unlinearizable.length).toBeGreaterThan(0);
    });
  }
});

describe('no false anomalies', () => {
  it('names nothing in any Knossos good history', () => {
    for (const { name, history } of [...histories('cas-register/good'), ...histories('multi-register/good')]) {
      expect({ name, anomalies: detectAnomalies(history).anomalies }).toEqual({ name, anomalies: [] });
    }
  });
});

describe('explanationText and explanationJson', () => {
  const history = shorthand(`
    0 invoke write 1
    0 ok write 1 node=n1 epoch=1
    0 invoke write 2
    0 ok write 2 node=n1 epoch=1
    2 invoke read nil
    2 ok read 18446744073709551616
    1 invoke read nil
    1 ok read 1 node=n2 epoch=1
  `);

  it('gives a line per anomaly and a line per proving operation, with node and epoch', () => {
    const text = explanationText(history, explainHistory(history));
    const lines = text.split('\n');
    expect(lines[0]).toBe('2 anomalies: 1 lost-write, 1 phantom-read');
    expect(lines).toContain('  #1  process 0  write 2  ok  node n1  epoch 1  events 2-3');
    expect(lines.filter((line) => /^(lost-write|phantom-read)/.test(line))).toHaveLength(2);
  });

  it('counts what it does not show', () => {
    const text = explanationText(history, explainHistory(history), { perKind: 0 });
    expect(text).toMatch(/and 1 more lost-write/);
    expect(text).not.toMatch(/^ {2}#/m);
  });

  it('gives JSON-able data with each operation in full, big integers as strings', () => {
    const json = explanationJson(history, explainHistory(history));
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(json.counts).toEqual({ 'lost-write': 1, 'phantom-read': 1 });
    const phantom = json.anomalies.find((a) => a.kind === 'phantom-read')!;
    expect(phantom.ops[0]).toMatchObject({ id: 2, process: 2, f: 'read', output: '18446744073709551616', result: 'ok' });
  });

  it('renders role annotations that prove a dual leader', () => {
    const annotated = shorthand(`
      cluster info role :leader node=n1 epoch=4
      cluster info role :leader node=n2 epoch=4
    `);
    const explanation = explainHistory(annotated);
    expect(explanationText(annotated, explanation)).toMatch(/event 1 {2}cluster role "leader" {2}node n2 {2}epoch 4/);
    expect(explanationJson(annotated, explanation).anomalies[0].events).toEqual([
      { index: 0, process: 'cluster', type: 'info', f: 'role', value: 'leader', node: 'n1', epoch: 4 },
      { index: 1, process: 'cluster', type: 'info', f: 'role', value: 'leader', node: 'n2', epoch: 4 },
    ]);
  });
});

describe('where an operation is: event positions first, times only as the history gives them', () => {
  // Times as the model writes them: logical steps, several events to a step.
  const modelRun = buildHistory([
    { type: 'invoke', process: 0, f: 'write', value: 1, time: 9, node: 'n1' },
    { type: 'ok', process: 0, f: 'write', value: 1, time: 15, node: 'n1', epoch: 1 },
    { type: 'invoke', process: 0, f: 'write', value: 2, time: 16, node: 'n1' },
    { type: 'ok', process: 0, f: 'write', value: 2, time: 16, node: 'n1', epoch: 1 },
    { type: 'invoke', process: 1, f: 'read', value: null, time: 20, node: 'n2' },
    { type: 'ok', process: 1, f: 'read', value: 1, time: 20, node: 'n2', epoch: 1 },
    { type: 'invoke', process: 2, f: 'write', value: 3, time: 21, node: 'n1' },
  ]);

  it('shows positions always, and times without a unit unless told one', () => {
    const [write, , read, pending] = modelRun.operations;
    expect(operationLine(write)).toBe('#0  process 0  write 1  ok  node n1  epoch 1  events 0-1  time 9-15');
    expect(operationLine(write, { timeUnit: 'steps' })).toBe('#0  process 0  write 1  ok  node n1  epoch 1  events 0-1  steps 9-15');
    expect(operationLine(read, { timeUnit: 'steps' })).toMatch(/ {2}events 4-5 {2}steps 20-20$/);
    expect(operationLine(pending)).toMatch(
      /info \(never completed: may or may not have happened\) {2}node n1 {2}events 6-\? {2}time 21-\?$/,
    );
    const untimed = shorthand('0 invoke write 1\n0 ok write 1').operations[0];
    expect(operationLine(untimed, { timeUnit: 'nanoseconds' })).toBe('#0  process 0  write 1  ok  events 0-1');
  });

  it('shows nanoseconds in the largest unit they reach, finely enough to tell operations apart', () => {
    const timed = (start: number, end: number) =>
      operationLine(
        buildHistory([
          { type: 'invoke', process: 0, f: 'write', value: 1, time: start },
          { type: 'ok', process: 0, f: 'write', value: 1, time: end },
        ]).operations[0],
        { timeUnit: 'nanoseconds' },
      );
    expect(timed(1_204_000_000, 1_204_002_500)).toMatch(/ {2}t 1\.204000-1\.204003 s$/);
    expect(timed(0, 2500)).toMatch(/ {2}t 0\.000-2\.500 µs$/);
    expect(timed(3_000_000, 7_250_000)).toMatch(/ {2}t 3\.000-7\.250 ms$/);
    expect(timed(10, 900)).toMatch(/ {2}t 10-900 ns$/);
  });

  it('every text renderer places operations the same way and passes the unit on', () => {
    const explanation = explainHistory(modelRun);
    expect(explanation.findings.anomalies.length).toBeGreaterThan(0);
    const table = consistencyTable(modelRun);
    const texts = (options: TimeOptions) => [
      explanationText(modelRun, explanation, options),
      consistencyTableText(modelRun, table, options),
      levelResultText(modelRun, 'linearizable', checkConsistency(modelRun, 'linearizable'), undefined, options),
    ];
    for (const [options, span] of [
      [{}, /events \d+-[\d?]+ {2}time \d+-[\d?]+$/],
      [{ timeUnit: 'steps' }, /events \d+-[\d?]+ {2}steps \d+-[\d?]+$/],
    ] as const) {
      for (const text of texts(options)) {
        const operationLines = text.split('\n').filter((line) => /^\s+#\d+ /.test(line));
        expect(operationLines.length).toBeGreaterThan(0);
        for (const line of operationLines) expect(line).toMatch(span);
        expect(text).not.toMatch(/\d s$/m);
      }
    }
  });

  it('places role annotations by position, with their time in the unit given', () => {
    const annotated = buildHistory([
      { type: 'info', process: 'cluster', f: 'role', value: 'leader', node: 'n1', epoch: 4, time: 3 },
      { type: 'info', process: 'cluster', f: 'role', value: 'leader', node: 'n2', epoch: 4, time: 7 },
    ]);
    const explanation = explainHistory(annotated);
    expect(explanationText(annotated, explanation)).toMatch(/event 1 {2}cluster role "leader" {2}node n2 {2}epoch 4 {2}time 7$/m);
    expect(explanationText(annotated, explanation, { timeUnit: 'steps' })).toMatch(
      /event 1 {2}cluster role "leader" {2}node n2 {2}epoch 4 {2}step 7$/m,
    );
    expect(explanationText(annotated, explanation, { timeUnit: 'nanoseconds' })).toMatch(
      /event 1 {2}cluster role "leader" {2}node n2 {2}epoch 4 {2}t 7 ns$/m,
    );
  });
});
