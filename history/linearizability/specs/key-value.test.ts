import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectAnomalies } from '../../anomalies/detect-anomalies.ts';
import { readHistory, readHistoryFile } from '../../formats/read-history.ts';
import { judgeHistory } from '../../judge.ts';
import type { Operation } from '../../operation.ts';
import type { Value } from '../../value.ts';
import { recogniseWorkload } from '../../workloads/workload.ts';
import { checkHistory } from '../check.ts';
import { chooseModel } from '../model-choice.ts';
import { witnessProblem } from '../witness.test-kit.ts';
import type { KeyValueCall } from './key-value.ts';
import { keyValueSpec } from './key-value.ts';

function op(f: string, input: Value, output: Value = input, result: Operation['result'] = 'ok'): Operation {
  return { id: 0, process: 0, f, input, output, result, invokeIndex: 0, completeIndex: result === 'info' ? -1 : 1 };
}

function call(operation: Operation): KeyValueCall {
  const reading = keyValueSpec.read(operation);
  if (!('call' in reading)) throw new Error(reading.problem);
  return reading.call;
}

/** A JSON Lines history from [process, type, f, key, value] rows. */
function history(rows: readonly [number, string, string, string, Value][]) {
  return readHistory(rows.map(([process, type, f, key, value]) => JSON.stringify({ process, type, f, key, value })).join('\n'), {
    format: 'jsonl',
  });
}

describe('the key-value model', () => {
  it('gets what was put, appends by concatenation, deletes to absent', () => {
    let state = keyValueSpec.init();
    expect(keyValueSpec.step(state, call(op('get', null, '')))).toBe('');
    expect(keyValueSpec.step(state, call(op('get', null, null)))).toBe('');
    state = keyValueSpec.step(state, call(op('append', 'ab'))) as Value;
    state = keyValueSpec.step(state, call(op('append', 'c'))) as Value;
    expect(state).toBe('abc');
    expect(keyValueSpec.step(state, call(op('get', null, 'abc')))).toBe('abc');
    expect(keyValueSpec.step(state, call(op('get', null, 'ab')))).toBeUndefined();
    state = keyValueSpec.step(state, call(op('put', 'z'))) as Value;
    expect(state).toBe('z');
    expect(keyValueSpec.step(state, call(op('delete', null)))).toBe('');
    // read and write are get and put.
    expect(keyValueSpec.step('q', call(op('read', null, 'q')))).toBe('q');
    expect(keyValueSpec.step('q', call(op('write', 'r')))).toBe('r');
  });

  it('refuses an append of a non-string, and cannot append to a number', () => {
    expect(keyValueSpec.read(op('append', 3))).toEqual({ problem: expect.stringContaining('append expects a string') });
    expect(keyValueSpec.step(5, call(op('append', 'x')))).toBeUndefined();
  });

  it('drops an indeterminate append only when no get could have seen its text', () => {
    const calls = [
      call(op('append', 'seen', 'seen', 'info')),
      call(op('append', 'unseen', 'unseen', 'info')),
      call(op('get', null, 'a seen b')),
    ];
    expect(keyValueSpec.droppable(calls)).toEqual([false, true, false]);
  });

  it('is inferred for get/put/append/delete histories, checked key by key', () => {
    const h = history([
      [0, 'invoke', 'append', 'k', 'x'],
      [0, 'ok', 'append', 'k', 'x'],
      [1, 'invoke', 'get', 'k', null],
      [1, 'ok', 'get', 'k', 'x'],
    ]);
    expect(recogniseWorkload(h)).toBe('key-value');
    expect(chooseModel(h.operations).name).toBe('keyed key-value');
    expect(checkHistory(h).verdict).toBe('valid');
  });

  it('names a lost append as a lost write', () => {
    const h = history([
      [0, 'invoke', 'append', 'k', 'a'],
      [0, 'ok', 'append', 'k', 'a'],
      [0, 'invoke', 'append', 'k', 'b'],
      [0, 'ok', 'append', 'k', 'b'],
      [1, 'invoke', 'get', 'k', null],
      [1, 'ok', 'get', 'k', 'b'],
    ]);
    const judgement = judgeHistory(h);
    expect(judgement.verdict).toBe('invalid');
    expect(judgement.explanation.findings.anomalies).toEqual([
      expect.objectContaining({
        kind: 'lost-write',
        key: 'k',
        ops: [0, 2],
        reason: expect.stringContaining('append #0 of "a" was acknowledged'),
      }),
    ]);
  });

  it('names no lost append that a put may have replaced, or that the final get holds', () => {
    const replaced = history([
      [0, 'invoke', 'append', 'k', 'a'],
      [1, 'invoke', 'put', 'k', 'p'],
      [0, 'ok', 'append', 'k', 'a'],
      [1, 'ok', 'put', 'k', 'p'],
      [1, 'invoke', 'get', 'k', null],
      [1, 'ok', 'get', 'k', 'p'],
    ]);
    expect(judgeHistory(replaced).verdict).toBe('valid');
    expect(detectAnomalies(replaced).anomalies).toEqual([]);
    const held = history([
      [0, 'invoke', 'append', 'k', 'a'],
      [0, 'ok', 'append', 'k', 'a'],
      [1, 'invoke', 'get', 'k', null],
      [1, 'ok', 'get', 'k', ''],
      [1, 'invoke', 'get', 'k', null],
      [1, 'ok', 'get', 'k', 'a'],
    ]);
    expect(judgeHistory(held).verdict).toBe('invalid');
    expect(detectAnomalies(held).anomalies).toEqual([]);
  });

  it('get and put are read and write where a register is meant, with its detectors', () => {
    const h = history([
      [0, 'invoke', 'put', 'k', 1],
      [0, 'ok', 'put', 'k', 1],
      [0, 'invoke', 'put', 'k', 2],
      [0, 'ok', 'put', 'k', 2],
      [1, 'invoke', 'get', 'k', null],
      [1, 'ok', 'get', 'k', 1],
    ]);
    expect(recogniseWorkload(h)).toBe('register');
    const judgement = judgeHistory(h);
    expect(judgement.model).toBe('keyed register');
    expect(judgement.verdict).toBe('invalid');
    expect(judgement.explanation.findings.anomalies.map((a) => a.kind)).toContain('lost-write');
  });
});

describe("Porcupine's key-value histories", () => {
  const root = fileURLToPath(new URL('../../fixtures/porcupine-kv', import.meta.url));
  const files = readdirSync(root).filter((file) => file.endsWith('.edn'));

  it('are all here', () => {
    expect(files.sort()).toEqual(['c01-bad.edn', 'c01-ok.edn', 'c10-bad.edn', 'c10-ok.edn', 'c50-bad.edn', 'c50-ok.edn']);
  });

  it.each(files)('%s gets its known verdict with the key-value model', (file) => {
    const h = readHistoryFile(join(root, file));
    const expected = file.endsWith('-ok.edn') ? 'valid' : 'invalid';
    // An invalid verdict needs one key proved: smallest first, the first failure ends the search.
    const result = checkHistory(h, { firstFailure: true });
    expect(result.model).toBe('keyed key-value');
    expect(result.verdict).toBe(expected);
    for (const partition of result.partitions) {
      const operations = h.operations.filter((o) => o.key === partition.key);
      if (partition.linearization) expect(witnessProblem(chooseModel(operations), operations, partition.linearization)).toBeUndefined();
    }
  });
});
