import { expect, test } from 'vitest';
import { detectAnomalies } from '../../anomalies/detect-anomalies.ts';
import { readHistory } from '../../formats/read-history.ts';
import { emptyRestartLostWrites } from './empty-restart.ts';

const lines = (events: readonly object[]) => events.map((event) => JSON.stringify(event)).join('\n');

// n1 acknowledges writes to two keys, restarts with nothing as the primary, and a later write
// overwrites one key: no read can show the loss there, the restart does.
const history = (restart: object) =>
  readHistory(
    lines([
      { type: 'invoke', process: 0, f: 'write', value: 1, key: 'a', node: 'n1' },
      { type: 'ok', process: 0, f: 'write', value: 1, key: 'a', node: 'n1' },
      { type: 'invoke', process: 1, f: 'write', value: 2, key: 'b', node: 'n1' },
      { type: 'ok', process: 1, f: 'write', value: 2, key: 'b', node: 'n1' },
      { type: 'invoke', process: 0, f: 'write', value: 3, key: 'a', node: 'n1' },
      { type: 'ok', process: 0, f: 'write', value: 3, key: 'a', node: 'n1' },
      { type: 'info', process: 'nemesis', f: 'kill', value: { node: 'n1' }, node: 'n1' },
      { type: 'info', process: 'nemesis', f: 'restart', value: { node: 'n1', ...restart }, node: 'n1' },
      { type: 'invoke', process: 1, f: 'write', value: 4, key: 'b', node: 'n1' },
      { type: 'ok', process: 1, f: 'write', value: 4, key: 'b', node: 'n1' },
      { type: 'invoke', process: 0, f: 'read', value: null, key: 'b', node: 'n1' },
      { type: 'ok', process: 0, f: 'read', value: 4, key: 'b', node: 'n1' },
    ]),
    { format: 'jsonl' },
  );

test('a node restarted empty that serves as primary lost every write acknowledged before, citing the last per key and the restart', () => {
  const found = history({ as: 'primary', empty: true });
  const [anomaly] = emptyRestartLostWrites(found);
  expect(anomaly).toMatchObject({ kind: 'lost-write', ops: [1, 2, 3], events: [7] });
  expect(anomaly.reason).toBe(
    'n1 restarted empty (event 7) and served as the primary (#3): all 3 write(s) acknowledged before the restart were lost; the last on each of the 2 key(s): #1, #2',
  );
  expect(detectAnomalies(found).anomalies.map((a) => a.kind)).toContain('lost-write');
});

test('a restart that kept its data, or came back as a replica, loses nothing', () => {
  expect(emptyRestartLostWrites(history({ as: 'primary', empty: false }))).toEqual([]);
  expect(emptyRestartLostWrites(history({ as: 'replica', empty: true }))).toEqual([]);
});
