import type { Findings } from '../../findings.ts';
import { readsOfLists } from '../list-append/workload.ts';
import type { WorkloadDefinition } from '../workload-definition.ts';
import { registerFindings } from './anomalies.ts';
import { emptyRestartLostWrites } from './empty-restart.ts';
import { initialValueHint } from './initial-value-hint.ts';

// A register: read, write and (cas-register) cas; a key-value store's get and put are read and write.

const REGISTER_FS = new Set(['read', 'write', 'cas', 'get', 'put']);

export const registerWorkload = {
  name: 'register',
  // Reads alone that return lists are a list-append history's.
  recognise: (fs, history) =>
    fs.size > 0 && [...fs].every((f) => REGISTER_FS.has(f)) && !(fs.size === 1 && fs.has('read') && readsOfLists(history)),
  findings: (history, options) => {
    const found = registerFindings(history, options);
    // Overwrites hide an empty restart's losses from the reads: the restart itself names them.
    const emptied: Findings = { anomalies: emptyRestartLostWrites(history), inconclusive: [] };
    return [found.lost, emptied, found.stale, { anomalies: found.phantom, inconclusive: [] }];
  },
  levels: 'all',
  hints: (history, options) => {
    const hint = initialValueHint(history, options.initialValue);
    return hint ? [hint] : [];
  },
} as const satisfies WorkloadDefinition;
