import type { WorkloadDefinition } from '../workload-definition.ts';
import { lostAppends } from './lost-appends.ts';

// A key-value store (Porcupine's kv): get, put, append of strings and delete, checked by the key-value
// spec; its lost appends are named.

const KEY_VALUE_FS = new Set(['get', 'put', 'append', 'delete']);

export const keyValueWorkload = {
  name: 'key-value',
  recognise: (fs) => (fs.has('append') || fs.has('delete')) && [...fs].every((f) => KEY_VALUE_FS.has(f)),
  findings: (history) => [{ anomalies: lostAppends(history), inconclusive: [] }],
  levels: 'linearizable',
} as const satisfies WorkloadDefinition;
