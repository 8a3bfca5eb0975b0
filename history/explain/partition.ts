import type { History } from '../operation.ts';
import type { PartitionVerdict } from '../verdict.ts';
import type { TimeOptions } from './operation.ts';
import { operationLine } from './operation.ts';

// A linearizability verdict's evidence, for a person: for a partition (the history, or one key) proved
// not linearizable, the end of the longest linearizable prefix, the state after it and the operations
// none of which can come next; for one left unknown, which budget ran out. Nothing for a valid one.

/** Operations of the prefix shown before the stuck ones: enough to see how the state came about. */
const PREFIX_TAIL = 8;

/** The lines that explain `partition`'s verdict, unindented (operations one level in); none when it is valid. */
export function partitionVerdictText(history: History, partition: PartitionVerdict, options: TimeOptions = {}): string[] {
  if (partition.verdict === 'unknown') return [`${where(partition)}: ${exhaustion(partition)}`];
  if (partition.verdict !== 'invalid') return [];
  const prefix = partition.longestPrefix ?? [];
  const lines = [`${where(partition)}: not linearizable.`];
  if (prefix.length === 0) lines.push(`From the initial state ${partition.stateAfterPrefix}, none of these can come first:`);
  else {
    const shown = prefix.slice(-PREFIX_TAIL);
    const skipped = prefix.length - shown.length;
    lines.push(
      `At best ${prefix.length} operation${prefix.length === 1 ? '' : 's'} linearize${prefix.length === 1 ? 's' : ''}${skipped > 0 ? `; the last ${shown.length}` : ''}:`,
    );
    for (const id of shown) lines.push(`  ${operationLine(history.operations[id], options)}`);
    lines.push(`leaving the state ${partition.stateAfterPrefix}, in which none of these can come next:`);
  }
  for (const id of partition.stuck ?? []) lines.push(`  ${operationLine(history.operations[id], options)}`);
  return lines;
}

function where(partition: PartitionVerdict): string {
  return partition.key === undefined ? 'history' : `key ${partition.key}`;
}

function exhaustion(partition: PartitionVerdict): string {
  return partition.exhausted === 'time'
    ? `unknown: the time limit ran out after ${partition.steps} steps`
    : `unknown: the budget of ${partition.steps} steps ran out`;
}
