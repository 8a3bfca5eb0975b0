import type { History } from '../operation.ts';
import type { ConsistencyOptions } from './consistency-options.ts';
import type { LevelResult } from './level.ts';
import { checkSessionLevel } from './session-level.ts';
import { keyModels } from './session-models.ts';
import { supportedWorkload } from './supported-workload.ts';

/**
 * writes-follow-reads: a session's write comes after what it read, as every session observes it. When a client process read a key and later wrote it, the write comes after the write it read in the version order, and no session's reads (which never go back in time) saw them in another order.
 *
 * "Version order": one total order of each key's writes, the initial value first, as a single leader's
 * log orders them (on a list, the order its reads show); a "session" is one client process's operations
 * on the key, in its order. The level holds when a version order meeting this exists on every key
 * (session-level.ts). Unknown when reads of values written more than once leave it open.
 * Throws InputError on a history that is not a register or list-append one.
 */
export function checkWritesFollowReads(history: History, options: ConsistencyOptions = {}): LevelResult {
  const workload = supportedWorkload(history, 'writes-follow-reads', options);
  return checkSessionLevel(history, keyModels(history, workload, options.initialValue), 'writes-follow-reads');
}
