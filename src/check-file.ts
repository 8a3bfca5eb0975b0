import type { ConsistencyTable } from '../history/consistency/consistency-table.ts';
import { consistencyTable } from '../history/consistency/consistency-table.ts';
import type { ConsistencyLevel, LevelResult } from '../history/consistency/level.ts';
import type { WriteOrder } from '../history/consistency/write-order.ts';
import { looksKeyed, splitKeyedEvents } from '../history/formats/keyed-events.ts';
import { phaseGuard } from '../history/formats/memory-guard.ts';
import type { HistoryFormat } from '../history/formats/read-history.ts';
import { historyName, readEventsFromFile } from '../history/formats/read-history.ts';
import type { SourcedEvents } from '../history/formats/sourced-events.ts';
import { InputError, MalformedHistoryError } from '../history/input-error.ts';
import type { Judgement, Proof } from '../history/judge.ts';
import { explainProof, judgeLevel, levelOptions, proveVerdict } from '../history/judge.ts';
import type { CheckBudget, CheckProgress, FailedCas, KeyChecker } from '../history/linearizability/check.ts';
import type { History } from '../history/operation.ts';
import { buildHistory } from '../history/operation.ts';
import type { Value } from '../history/value.ts';
import type { SetReads } from '../history/workloads/set/set.ts';

// Checking one history file, as data: what `leaderlog check` prints and what anything else that wants a
// file's verdict can use. Every problem with the input, found while reading or while checking, is an
// InputError naming the file and the line of the event at fault.

export interface CheckFileOptions {
  /** A linearizability model, or a workload (list-append, set). */
  readonly model?: string;
  readonly format?: HistoryFormat;
  /** true: values are [key value] tuples; false: never; absent: recognised from the values. */
  readonly keyed?: boolean;
  /** The value every register starts at; nil when absent. */
  readonly initialValue?: Value;
  /** How a set's reads are judged; eventual when absent. */
  readonly setReads?: SetReads;
  /** How the session guarantees order writes; real-time when absent. */
  readonly writeOrder?: WriteOrder;
  /** Leave out log lines that look like events of another format, instead of refusing the file. */
  readonly skipForeignLines?: boolean;
  readonly sortByTime?: boolean;
  readonly budget?: CheckBudget;
  readonly onProgress?: (progress: CheckProgress) => void;
  /** Also check this consistency level (the exit code then follows it). */
  readonly consistency?: ConsistencyLevel;
  /** Also work out which consistency levels hold. */
  readonly levels?: boolean;
  /** Name the anomalies that explain the verdict (true unless false): more than the verdict costs. */
  readonly explain?: boolean;
  /** Stop at the first key proved not linearizable. */
  readonly firstFailure?: boolean;
  readonly failedCas?: FailedCas;
  /** Checks many keys at once (see CheckOptions.checkKeys). */
  readonly checkKeys?: KeyChecker;
}

/** The verdict and its proof, with the explanation (named anomalies) unless it was not asked for. */
type FileJudgement = Proof & Partial<Pick<Judgement, 'explanation'>>;

export interface FileCheck {
  readonly file: string;
  /** Log lines that looked like events of another format, left out as asked (--skip-foreign-lines). */
  readonly skipped?: SourcedEvents['skipped'];
  readonly history: History;
  /** The values were [key value] tuples in every operation, so the history was read as keyed without --keyed. */
  readonly keyedByRecognition: boolean;
  /** How the session guarantees ordered writes, for --consistency and --levels. */
  readonly writeOrder: WriteOrder;
  readonly judgement: FileJudgement;
  readonly consistency?: { readonly level: ConsistencyLevel; readonly result: LevelResult };
  readonly levels?: ConsistencyTable;
  /** The verdict's proof alone: reading, the detectors and the levels excluded. */
  readonly millis: number;
  /** The anomaly detectors (and unlinearizable cores), after the proof; 0 when not explained. */
  readonly explainMillis: number;
}

export function checkFile(path: string, options: CheckFileOptions = {}): FileCheck {
  const file = historyName(path);
  const read = readEventsFromFile(path, {
    file,
    format: options.format,
    keyed: options.keyed === true,
    skipForeignLines: options.skipForeignLines,
  });
  const keyedByRecognition = options.keyed === undefined && looksKeyed(read.events);
  const source = keyedByRecognition ? splitKeyedEvents(read, file) : read;
  const guard = phaseGuard(file, 'its operations', source.events.length);
  const history = atLine(file, source, undefined, () => buildHistory(source.events, { sortByTime: options.sortByTime, guard }));
  const start = performance.now();
  const { initialValue, setReads, writeOrder } = options;
  const proof = atLine(file, source, history, () =>
    proveVerdict(history, {
      model: options.model,
      budget: options.budget,
      onProgress: options.onProgress,
      initialValue,
      setReads,
      firstFailure: options.firstFailure,
      failedCas: options.failedCas,
      checkKeys: options.checkKeys,
    }),
  );
  const proved = performance.now();
  const judgement: FileJudgement =
    options.explain === false ? proof : atLine(file, source, history, () => explainProof(history, proof, { initialValue }));
  const millis = proved - start;
  const explainMillis = options.explain === false ? 0 : performance.now() - proved;
  // The levels reuse the linearizability verdict just proved rather than searching again.
  const judged = { model: options.model, budget: options.budget, initialValue, writeOrder };
  const level = options.consistency;
  const consistency = level && atLine(file, source, history, () => judgeLevel(history, judgement, level, judged));
  const levels = options.levels
    ? atLine(file, source, history, () => consistencyTable(history, levelOptions(judgement, judged)))
    : undefined;
  return {
    file,
    history,
    keyedByRecognition,
    writeOrder: writeOrder ?? 'real-time',
    judgement,
    millis,
    explainMillis,
    ...(read.skipped && { skipped: read.skipped }),
    ...(consistency && { consistency }),
    ...(levels && { levels }),
  };
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
