import type { CheckBudget, CheckProgress } from '../history/check.ts';
import { checkHistory } from '../history/check.ts';
import { InputError, MalformedHistoryError } from '../history/input-error.ts';
import type { History } from '../history/operation.ts';
import { buildHistory } from '../history/operation.ts';
import type { HistoryFormat } from '../history/read-history.ts';
import { readEvents, readHistoryText } from '../history/read-history.ts';
import type { SourcedEvents } from '../history/sourced-events.ts';
import type { CheckResult } from '../history/verdict.ts';

// Checking one history file, as data: what `leaderlog check` prints and what anything else that wants a
// file's verdict can use. Every problem with the input, found while reading or while checking, is an
// InputError naming the file and the line of the event at fault.

export interface CheckFileOptions {
  readonly model?: string;
  readonly format?: HistoryFormat;
  readonly keyed?: boolean;
  readonly sortByTime?: boolean;
  readonly budget?: CheckBudget;
  readonly onProgress?: (progress: CheckProgress) => void;
}

export interface FileCheck {
  readonly file: string;
  readonly history: History;
  readonly result: CheckResult;
  /** The check alone, reading excluded. */
  readonly millis: number;
}

export function checkFile(file: string, options: CheckFileOptions = {}): FileCheck {
  const source = readEvents(readHistoryText(file), { file, format: options.format, keyed: options.keyed });
  const history = atLine(file, source, undefined, () => buildHistory(source.events, { sortByTime: options.sortByTime }));
  const start = performance.now();
  const result = atLine(file, source, history, () =>
    checkHistory(history, { model: options.model, budget: options.budget, onProgress: options.onProgress }),
  );
  return { file, history, result, millis: performance.now() - start };
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
