import type { History } from '../operation.ts';
import type { ConsistencyOptions } from './consistency-options.ts';
import type { LevelResult } from './level.ts';
import { checkSessionLevel } from './session-level.ts';
import { keyModels } from './session-models.ts';
import { supportedWorkload } from './supported-workload.ts';

/**
 * monotonic-writes: a session's writes take effect in the order it made them, as every session observes them. A client process's acknowledged writes to a key are in the version order in the order the process made them, and no session's reads (which never go back in time, as in monotonic reads) saw them in another order.
 *
 * "Version order": one total order of each key's writes, the initial value first, as a single leader's
 * log orders them (on a list, the order its reads show); a "session" is one client process's operations
 * on the key, in its order. The level holds when a version order meeting this exists on every key
 * (session-level.ts). Unknown when reads of values written more than once leave it open.
 * Throws InputError on a history that is not a register or list-append one.
 */
export function checkMonotonicWrites(history: History, options: ConsistencyOptions = {}): LevelResult {
  const workload = supportedWorkload(history, 'monotonic-writes', options);
  return checkSessionLevel(history, keyModels(history, workload, options.initialValue), 'monotonic-writes');
}
