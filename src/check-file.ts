import type { CheckBudget, CheckProgress } from '../history/check.ts';
import { checkConsistency } from '../history/consistency/check-consistency.ts';
import type { ConsistencyTable } from '../history/consistency/consistency-table.ts';
import { consistencyTable } from '../history/consistency/consistency-table.ts';
import type { ConsistencyLevel, LevelResult } from '../history/consistency/level.ts';
import { InputError, MalformedHistoryError } from '../history/input-error.ts';
import type { History } from '../history/operation.ts';
import { buildHistory } from '../history/operation.ts';
import type { HistoryFormat } from '../history/read-history.ts';
import { historyName, readEventsFromFile } from '../history/read-history.ts';
import type { SourcedEvents } from '../history/sourced-events.ts';
import type { Judgement } from '../history/judge.ts';
import { explainProof, proveVerdict } from '../history/judge.ts';

// Checking one history file, as data: what `leaderlog check` prints and what anything else that wants a
// file's verdict can use. Every problem with the input, found while reading or while checking, is an
// InputError naming the file and the line of the event at fault.

export interface CheckFileOptions {
  readonly model?: string;
  readonly format?: HistoryFormat;
  readonly keyed?: boolean;
  /** Leave out log lines that look like events of another format, instead of refusing the file. */
  readonly skipForeignLines?: boolean;
  readonly sortByTime?: boolean;
  readonly budget?: CheckBudget;
  readonly onProgress?: (progress: CheckProgress) => void;
  /** Also check this consistency level (the exit code then follows it). */
  readonly consistency?: ConsistencyLevel;
  /** Also work out which consistency levels hold. */
  readonly levels?: boolean;
}

export interface FileCheck {
  readonly file: string;
  /** Log lines that looked like events of another format, left out as asked (--skip-foreign-lines). */
  readonly skipped?: SourcedEvents['skipped'];
  readonly history: History;
  readonly judgement: Judgement;
  readonly consistency?: { readonly level: ConsistencyLevel; readonly result: LevelResult };
  readonly levels?: ConsistencyTable;
  /** The verdict's proof alone: reading, the detectors and the levels excluded. */
  readonly millis: number;
  /** The anomaly detectors (and unlinearizable cores), after the proof. */
  readonly explainMillis: number;
}

export function checkFile(path: string, options: CheckFileOptions = {}): FileCheck {
  const file = historyName(path);
  const source = readEventsFromFile(path, { file, format: options.format, keyed: options.keyed, skipForeignLines: options.skipForeignLines });
  const history = atLine(file, source, undefined, () => buildHistory(source.events, { sortByTime: options.sortByTime }));
  const start = performance.now();
  const proof = atLine(file, source, history, () =>
    proveVerdict(history, { model: options.model, budget: options.budget, onProgress: options.onProgress }),
  );
  const proved = performance.now();
  const judgement = atLine(file, source, history, () => explainProof(history, proof));
  const millis = proved - start;
  const explainMillis = performance.now() - proved;
  // The levels reuse the linearizability verdict just proved rather than searching again.
  const settled = { workload: judgement.workload, model: options.model, budget: options.budget, linearizability: judgement.check };
  const consistency = options.consistency && {
    level: options.consistency,
    result: atLine(file, source, history, () => checkConsistency(history, options.consistency!, settled)),
  };
  const levels = options.levels ? atLine(file, source, history, () => consistencyTable(history, settled)) : undefined;
  return { file, history, judgement, millis, explainMillis, ...(source.skipped && { skipped: source.skipped }), ...(consistency && { consistency }), ...(levels && { levels }) };
}

/**
 * Runs `work`, turning a MalformedHistoryError into an InputError at its event's line. Errors from
 * pairing name the event by its place in the file; errors from checking by its place in the (possibly
 * time-sorted) history, which holds the very same event objects.
 */
function atLine<T>(file: string, source: SourcedEvents, history: History | undefined, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof InputError) throw error.position.file === undefined ? error.withFile(file) : error;
    if (!(error instanceof MalformedHistoryError)) throw error;
    const index = history ? source.events.indexOf(history.events[error.eventIndex]) : error.eventIndex;
    throw new InputError(error.message, { file, line: source.lines[index], column: source.columns[index] });
  }
}
