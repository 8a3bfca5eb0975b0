import type { ConsistencyRow, ConsistencyTable } from '../consistency/consistency-table.ts';
import type { ConsistencyLevel, LevelResult } from '../consistency/level.ts';
import type { History } from '../operation.ts';
import type { OperationJson, TimeOptions } from './operation.ts';
import { operationJson, operationLine } from './operation.ts';

// Consistency verdicts for a terminal and for CI: one level's result (`check --consistency LEVEL`), or the
// table of every level. Operations are placed by their event positions; `timeUnit` says what the
// history's times count, when they are shown (operationLine).

export function levelResultText(
  history: History,
  level: ConsistencyLevel,
  result: LevelResult,
  via?: ConsistencyLevel,
  options: TimeOptions = {},
): string {
  const lines = [`${level}: ${verdictWord(result)}${reasonOf(result, via)}`];
  if (result.holds === false) for (const id of result.evidence.ops) lines.push(`  ${operationLine(history.operations[id], options)}`);
  return lines.join('\n');
}

/** A row per level, strongest first, each refuted level followed by the operations that refute it. */
export function consistencyTableText(history: History, table: ConsistencyTable, options: TimeOptions = {}): string {
  const width = Math.max(...table.rows.map((row) => row.level.length));
  const lines = [`consistency levels of this ${table.workload === 'other' ? '' : `${table.workload} `}history:`];
  for (const row of table.rows) {
    lines.push(`  ${row.level.padEnd(width)}  ${verdictWord(row.result).padEnd(7)}${reasonOf(row.result, row.via)}`.trimEnd());
    if (row.result.holds === false && row.via === undefined) {
      for (const id of row.result.evidence.ops) lines.push(`      ${operationLine(history.operations[id], options)}`);
    }
  }
  return lines.join('\n');
}

export interface LevelJson {
  readonly level: ConsistencyLevel;
  readonly holds: true | false | 'unknown';
  /** The level this result follows from, when it was not checked on its own. */
  readonly via?: ConsistencyLevel;
  readonly reason?: string;
  readonly key?: string | number;
  readonly ops?: readonly OperationJson[];
}

export function levelResultJson(history: History, row: ConsistencyRow): LevelJson {
  const { level, result, via } = row;
  const common = { level, holds: result.holds, ...(via !== undefined && { via }) };
  if (result.holds === true) return common;
  if (result.holds === 'unknown') return { ...common, reason: result.reason };
  return {
    ...common,
    reason: result.evidence.reason,
    ...(result.evidence.key !== undefined && { key: result.evidence.key }),
    ops: result.evidence.ops.map((id) => operationJson(history.operations[id])),
  };
}

export function consistencyTableJson(history: History, table: ConsistencyTable): { workload: string; levels: LevelJson[] } {
  return { workload: table.workload, levels: table.rows.map((row) => levelResultJson(history, row)) };
}

function verdictWord(result: LevelResult): string {
  return result.holds === true ? 'holds' : result.holds === false ? 'fails' : 'unknown';
}

function reasonOf(result: LevelResult, via?: ConsistencyLevel): string {
  const settled = via !== undefined ? ` (follows from ${via})` : '';
  if (result.holds === true) return settled;
  if (result.holds === 'unknown') return `  ${result.reason}${settled}`;
  return `  ${result.evidence.reason}${settled}`;
}
