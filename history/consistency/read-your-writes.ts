import type { History } from '../operation.ts';
import type { ConsistencyOptions } from './consistency-options.ts';
import type { LevelResult } from './level.ts';
import { checkSessionLevel } from './session-level.ts';
import { keyModels } from './session-models.ts';
import { supportedWorkload } from './supported-workload.ts';

/**
 * read-your-writes: a session sees its own writes. Every read by a client process returns its key's value as of a write no earlier, in the version order, than every acknowledged write that process made to the key before the read.
 *
 * "Version order": one total order of each key's writes, the initial value first, as a single leader's
 * log orders them (on a list, the order its reads show); a "session" is one client process's operations
 * on the key, in its order. The level holds when a version order meeting this exists on every key
 * (session-level.ts). Unknown when reads of values written more than once leave it open.
 * Throws InputError on a history that is not a register or list-append one.
 */
export function checkReadYourWrites(history: History, options: ConsistencyOptions = {}): LevelResult {
  const workload = supportedWorkload(history, 'read-your-writes', options);
  return checkSessionLevel(history, keyModels(history, workload, options.initialValue), 'read-your-writes');
}
