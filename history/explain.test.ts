import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectAnomalies } from './anomalies/detect-anomalies.ts';
import { shorthand } from './anomalies/shorthand.ts';
import { relaxedHistory } from './anomalies/unlinearizable-core.ts';
import { checkHistory } from './check.ts';
import { explainHistory, explanationJson, explanationText } from './explain.ts';
import type { History } from './operation.ts';
import { readHistoryFile } from './read-history.ts';

const fixtures = fileURLToPath(new URL('./fixtures/knossos/', import.meta.url));
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
            expect(verdictWithRelaxed(history, core.ops.filter((id) => id !== dropped), check.model)).toBe('valid');
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
