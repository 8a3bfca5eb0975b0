import type pc from 'picocolors';
import { worstVerdict } from '../history/check.ts';
import type { OperationJson } from '../history/explain-operation.ts';
import { operationJson, operationLine } from '../history/explain-operation.ts';
import type { InputError } from '../history/input-error.ts';
import type { History, OpResult } from '../history/operation.ts';
import type { PartitionVerdict, Verdict } from '../history/verdict.ts';
import type { FileCheck } from './check-file.ts';
import { ExitCode } from './exit-code.ts';

// What `leaderlog check` prints: per file the verdict, and for a violation the evidence (the end of the
// longest linearizable prefix, the state after it, the operations none of which can come next); a table
// when there are several files; or all of it as JSON (schema: history/CHECKING.md).

type Colors = ReturnType<typeof pc.createColors>;

/** One file's outcome: checked, or refused as bad input. */
export type FileOutcome = FileCheck | { readonly file: string; readonly error: InputError };

/** Operations of the prefix shown before the stuck ones: enough to see how the state came about. */
const PREFIX_TAIL = 8;

export function checkExitCode(outcomes: readonly FileOutcome[]): ExitCode {
  if (outcomes.some((o) => 'error' in o)) return ExitCode.badInput;
  const verdict = worstVerdict(outcomes.map((o) => (o as FileCheck).result.verdict));
  return verdict === 'valid' ? ExitCode.ok : verdict === 'invalid' ? ExitCode.violation : ExitCode.unknown;
}

export interface CheckJson {
  readonly version: 1;
  readonly verdict: Verdict | 'bad-input';
  readonly files: readonly (FileCheckJson | FileErrorJson)[];
}

export interface FileCheckJson {
  readonly file: string;
  readonly verdict: Verdict;
  readonly model: string;
  readonly operations: Readonly<Record<OpResult, number>>;
  readonly steps: number;
  readonly millis: number;
  readonly partitions: readonly PartitionJson[];
}

export type PartitionJson = PartitionVerdict & {
  /** invalid: the stuck operations in full, so the evidence reads without the history at hand. */
  readonly stuckOperations?: readonly OperationJson[];
};

export interface FileErrorJson {
  readonly file: string;
  readonly error: { readonly message: string; readonly line?: number; readonly column?: number };
}

export function checkJson(outcomes: readonly FileOutcome[]): CheckJson {
  const code = checkExitCode(outcomes);
  const verdict = code === ExitCode.badInput ? 'bad-input' : worstVerdict(outcomes.map((o) => (o as FileCheck).result.verdict));
  return { version: 1, verdict, files: outcomes.map(fileJson) };
}

function fileJson(outcome: FileOutcome): FileCheckJson | FileErrorJson {
  if ('error' in outcome) {
    const { line, column } = outcome.error.position;
    return { file: outcome.file, error: { message: outcome.error.message, ...(line !== undefined && { line }), ...(column !== undefined && { column }) } };
  }
  const { file, history, result, millis } = outcome;
  return {
    file,
    verdict: result.verdict,
    model: result.model,
    operations: countByResult(history),
    steps: result.steps,
    millis: Number(millis.toFixed(3)),
    partitions: result.partitions.map((p) =>
      p.stuck ? { ...p, stuckOperations: p.stuck.map((id) => operationJson(history.operations[id])) } : p,
    ),
  };
}

export function countByResult(history: History): Record<OpResult, number> {
  const counts = { ok: 0, fail: 0, info: 0 };
  for (const op of history.operations) counts[op.result]++;
  return counts;
}

export function formatCheckReport(outcomes: readonly FileOutcome[], colors: Colors): string {
  const out: string[] = [];
  for (const outcome of outcomes) {
    if ('error' in outcome) continue;
    out.push(headline(outcome, colors));
    for (const partition of outcome.result.partitions) {
      if (partition.verdict === 'invalid') out.push(...evidence(outcome.history, partition));
      if (partition.verdict === 'unknown') out.push(`  ${where(partition)}: ${exhaustion(partition)}`);
    }
  }
  if (outcomes.length > 1) out.push('', ...summaryTable(outcomes, colors));
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

function headline({ file, history, result, millis }: FileCheck, colors: Colors): string {
  const counts = countByResult(history);
  const total = counts.ok + counts.fail + counts.info;
  const parts = result.partitions.length;
  const keys = result.partitions.some((p) => p.key !== undefined) ? `, ${parts} key${parts === 1 ? '' : 's'}` : '';
  return `${file}: ${paint(result.verdict, colors)} as a ${result.model} (${total} operations: ${counts.ok} ok, ${counts.fail} fail, ${counts.info} info${keys}; ${result.steps} steps, ${millis.toFixed(1)} ms)`;
}

function evidence(history: History, partition: PartitionVerdict): string[] {
  const prefix = partition.longestPrefix ?? [];
  const lines = [`  ${where(partition)}: not linearizable.`];
  if (prefix.length === 0) lines.push(`  From the initial state ${partition.stateAfterPrefix}, none of these can come first:`);
  else {
    const shown = prefix.slice(-PREFIX_TAIL);
    const skipped = prefix.length - shown.length;
    lines.push(`  At best ${prefix.length} operation${prefix.length === 1 ? '' : 's'} linearize${prefix.length === 1 ? 's' : ''}${skipped > 0 ? `; the last ${shown.length}` : ''}:`);
    for (const id of shown) lines.push(`    ${operationLine(history.operations[id])}`);
    lines.push(`  leaving the state ${partition.stateAfterPrefix}, in which none of these can come next:`);
  }
  for (const id of partition.stuck ?? []) lines.push(`    ${operationLine(history.operations[id])}`);
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

function summaryTable(outcomes: readonly FileOutcome[], colors: Colors): string[] {
  const rows = outcomes.map((o) =>
    'error' in o
      ? [o.file, 'bad input', '', '', '']
      : [o.file, o.result.verdict, o.result.model, String(o.history.operations.length), o.millis.toFixed(1)],
  );
  const header = ['file', 'verdict', 'model', 'operations', 'ms'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[], paintVerdict: boolean) =>
    cells
      .map((cell, c) => {
        const padded = c >= 3 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]);
        return paintVerdict && c === 1 ? padded.replace(cell, paint(cell as Verdict | 'bad input', colors)) : padded;
      })
      .join('  ')
      .trimEnd();
  const counts = outcomes.reduce<Record<string, number>>((acc, o) => {
    const verdict = 'error' in o ? 'bad input' : o.result.verdict;
    acc[verdict] = (acc[verdict] ?? 0) + 1;
    return acc;
  }, {});
  const total = Object.entries(counts)
    .map(([verdict, n]) => `${n} ${verdict}`)
    .join(', ');
  return [colors.bold(line(header, false)), ...rows.map((r) => line(r, true)), '', `${outcomes.length} files: ${total}`];
}

function paint(verdict: Verdict | 'bad input', colors: Colors): string {
  if (verdict === 'valid') return colors.green(verdict);
  if (verdict === 'unknown') return colors.yellow(verdict);
  return colors.red(verdict);
}
