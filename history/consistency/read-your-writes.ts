import type { History } from '../operation.ts';
import type { ConsistencyOptions } from './consistency-options.ts';
import type { LevelResult } from './level.ts';
import { checkSessionLevel } from './session-level.ts';
import { keyModels } from './session-models.ts';
import { supportedWorkload } from './supported-workload.ts';

/**
 * read-your-writes: a session sees its own writes. When a client process's write to a key was
 * acknowledged before it invoked a read of the key, the read returns that write's value or a later one in
 * the version order (on a list, it shows the append). An :info write does not count: it may land after
 * the read.
 *
 * Shared terms (session-level.ts has the whole picture): a session is one client process; per key, reads
 * and writes of other keys play no part. "Before" in a session: the earlier operation was acknowledged
 * before the process invoked the later one, so an :info operation comes before none of its process's
 * later ones (it may take effect after them). Failed operations never happened; :info and failed reads
 * saw nothing; an :info write is taken to have happened only if something shows it. The version order is one total order
 * of the key's writes that happened, the initial value first; each read sees a prefix of it. By default
 * it orders the writes as single-leader replication does, consistently with real time (and epochs);
 * options.writeOrder "free" lets it be any order (write-order.ts). The level
 * holds when some version order meets it on every key, each level checked alone (Terry et al. 1994,
 * "Session Guarantees for Weakly Consistent Replicated Data"; stated over a version order as by Viotti and
 * Vukolić, and on Jepsen's consistency pages). Unknown when reads of values written more than once leave
 * it open. Throws InputError on a history that is not a register or list-append one.
 */
export function checkReadYourWrites(history: History, options: ConsistencyOptions = {}): LevelResult {
  const workload = supportedWorkload(history, 'read-your-writes', options);
  return checkSessionLevel(history, keyModels(history, workload, options.initialValue), 'read-your-writes', options.writeOrder);
}
