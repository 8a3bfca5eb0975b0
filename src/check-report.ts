import type pc from 'picocolors';
import type { WriteOrder } from '../history/consistency/write-order.ts';
import type { LevelJson } from '../history/explain/consistency.ts';
import { consistencyTableJson, consistencyTableText, levelResultJson, levelResultText } from '../history/explain/consistency.ts';
import type { ExplanationJson } from '../history/explain/explain.ts';
import { explanationJson, explanationText } from '../history/explain/explain.ts';
import type { JsonValue, OperationJson } from '../history/explain/operation.ts';
import { jsonValue, operationJson, operationLine } from '../history/explain/operation.ts';
import { partitionVerdictText } from '../history/explain/partition.ts';
import type { InputError } from '../history/input-error.ts';
import { isViolation } from '../history/judge.ts';
import { worstVerdict } from '../history/linearizability/check.ts';
import type { History, OpResult } from '../history/operation.ts';
import { describeValue } from '../history/value.ts';
import type { CheckResult, PartitionVerdict, Verdict } from '../history/verdict.ts';
import type { SetReads } from '../history/workloads/set/set.ts';
import type { FileCheck } from './check-file.ts';
import { ExitCode } from './exit-code.ts';

// What `leaderlog check` prints: per file the verdict, and for a violation the evidence (the end of the
// longest linearizable prefix, the state after it, the operations none of which can come next), the
// named anomalies with the operations that prove them, and the consistency levels asked for; a table
// when there are several files; or all of it as JSON (schema: history/CHECKING.md).

type Colors = ReturnType<typeof pc.createColors>;

/** One file's outcome: checked, or refused as bad input. */
export type FileOutcome = FileCheck | { readonly file: string; readonly error: InputError };

/** Every reader's times are nanoseconds (history/FORMATS.md). */
const NANOS = { timeUnit: 'nanoseconds' } as const;

/**
 * Bad input 3. Otherwise the worst file decides: with --consistency, whether that level holds (1 fails,
 * 2 unknown); without, 1 for a history proved not linearizable or with an anomaly named, 2 for unknown.
 */
export function checkExitCode(outcomes: readonly FileOutcome[]): ExitCode {
  if (outcomes.some((o) => 'error' in o)) return ExitCode.badInput;
  const codes = outcomes.map((o) => fileExitCode(o as FileCheck));
  if (codes.includes(ExitCode.violation)) return ExitCode.violation;
  return codes.includes(ExitCode.unknown) ? ExitCode.unknown : ExitCode.ok;
}

function fileExitCode({ judgement, consistency }: FileCheck): ExitCode {
  if (consistency) {
    const holds = consistency.result.holds;
    return holds === true ? ExitCode.ok : holds === false ? ExitCode.violation : ExitCode.unknown;
  }
  // Unexplained (--json without --explain, --first-failure), the verdict alone decides.
  if (isViolation(judgement)) return ExitCode.violation;
  return judgement.verdict === 'unknown' ? ExitCode.unknown : ExitCode.ok;
}

export interface CheckJson {
  readonly version: 1;
  readonly verdict: Verdict | 'bad-input';
  readonly files: readonly (FileCheckJson | FileErrorJson)[];
}

interface FileCheckJson {
  readonly file: string;
  readonly verdict: Verdict;
  readonly model: string;
  /** register, list-append, set or other: which detectors ran. */
  readonly workload: string;
  /** Register models: the value the registers started at (nil unless --initial-value said otherwise). */
  readonly initialValue?: JsonValue;
  /** Set histories: how reads were judged (eventual: stale reads allowed; linearizable: they fail). */
  readonly setReads?: SetReads;
  /** The values were [key value] tuples everywhere, so the history was read as keyed without --keyed. */
  readonly keyedByRecognition?: true;
  /** --consistency, --levels: how the session guarantees ordered writes. */
  readonly writeOrder?: WriteOrder;
  readonly operations: Readonly<Record<OpResult, number>>;
  readonly steps: number;
  /** The verdict's proof, reading and process start excluded. */
  readonly millis: number;
  /** The anomaly detectors and unlinearizable cores, after the proof. */
  readonly explainMillis: number;
  readonly partitions: readonly PartitionJson[];
  /** list-append: why the verdict is invalid or unknown. */
  readonly refutation?: { readonly reason: string; readonly ops?: readonly OperationJson[] };
  /** Named anomalies with their proving operations, undecided cases, and unlinearizable cores: with --explain. */
  readonly explanation?: ExplanationJson;
  /** --first-failure: keys left unchecked once one was proved not linearizable. */
  readonly unchecked?: number;
  /** --consistency LEVEL */
  readonly consistency?: LevelJson;
  /** --levels */
  readonly levels?: readonly LevelJson[];
}

type PartitionJson = PartitionVerdict & {
  /** invalid: the stuck operations in full, so the evidence reads without the history at hand. */
  readonly stuckOperations?: readonly OperationJson[];
};

interface FileErrorJson {
  readonly file: string;
  readonly error: { readonly message: string; readonly line?: number; readonly column?: number };
}

export function checkJson(outcomes: readonly FileOutcome[]): CheckJson {
  const code = checkExitCode(outcomes);
  const verdict = code === ExitCode.badInput ? 'bad-input' : worstVerdict(outcomes.map((o) => (o as FileCheck).judgement.verdict));
  return { version: 1, verdict, files: outcomes.map(fileJson) };
}

function fileJson(outcome: FileOutcome): FileCheckJson | FileErrorJson {
  if ('error' in outcome) {
    const { line, column } = outcome.error.position;
    return {
      file: outcome.file,
      error: { message: outcome.error.message, ...(line !== undefined && { line }), ...(column !== undefined && { column }) },
    };
  }
  const { file, history, judgement, millis, explainMillis, consistency, levels } = outcome;
  const { check, refutation } = judgement;
  return {
    file,
    verdict: judgement.verdict,
    model: judgement.model,
    workload: judgement.workload,
    ...(check && startsFromValue(check) && { initialValue: jsonValue(check.initialValue ?? null) }),
    ...(judgement.set && { setReads: judgement.set.reads }),
    ...(outcome.keyedByRecognition && { keyedByRecognition: true }),
    ...((consistency || levels) && { writeOrder: outcome.writeOrder }),
    operations: countByResult(history),
    steps: check?.steps ?? 0,
    millis: Number(millis.toFixed(3)),
    explainMillis: Number(explainMillis.toFixed(3)),
    partitions: (check?.partitions ?? []).map((p) =>
      p.stuck ? { ...p, stuckOperations: p.stuck.map((id) => operationJson(history.operations[id])) } : p,
    ),
    ...(refutation && {
      refutation: {
        reason: refutation.reason,
        ...('ops' in refutation && { ops: refutation.ops.map((id) => operationJson(history.operations[id])) }),
      },
    }),
    ...(check?.unchecked !== undefined && { unchecked: check.unchecked }),
    ...(judgement.explanation && { explanation: explanationJson(history, judgement.explanation) }),
    ...(consistency && { consistency: levelResultJson(history, consistency) }),
    ...(levels && { levels: consistencyTableJson(history, levels).levels }),
  };
}

function countByResult(history: History): Record<OpResult, number> {
  const counts = { ok: 0, fail: 0, info: 0 };
  for (const op of history.operations) counts[op.result]++;
  return counts;
}

export function formatCheckReport(outcomes: readonly FileOutcome[], colors: Colors): string {
  const out: string[] = [];
  for (const outcome of outcomes) {
    if ('error' in outcome) continue;
    out.push(...fileReport(outcome, colors));
  }
  if (outcomes.length > 1) out.push('', ...summaryTable(outcomes, colors));
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

function fileReport(outcome: FileCheck, colors: Colors): string[] {
  const { history, judgement, consistency, levels } = outcome;
  const lines = [headline(outcome, colors)];
  if (outcome.keyedByRecognition) {
    lines.push(
      "  read as keyed: every operation's value is a [key value] tuple (jepsen.independent); --no-keyed checks it as one register",
    );
  }
  for (const partition of judgement.check?.partitions ?? [])
    lines.push(...partitionVerdictText(history, partition, NANOS).map((line) => `  ${line}`));
  if (judgement.refutation) lines.push(`  ${judgement.refutation.reason}`);
  if (judgement.refutation && 'ops' in judgement.refutation) {
    for (const id of judgement.refutation.ops) lines.push(`    ${operationLine(history.operations[id], NANOS)}`);
  }
  const explained = judgement.explanation && explanationText(history, judgement.explanation, NANOS);
  if (explained) lines.push(...indent(explained));
  if (consistency) lines.push(...indent(levelResultText(history, consistency.level, consistency.result, undefined, NANOS)));
  if (levels) lines.push(...indent(consistencyTableText(history, levels, NANOS)));
  if (levels || (consistency && SESSION_LEVELS.has(consistency.level))) lines.push(`  ${writeOrderText(outcome.writeOrder)}`);
  return lines;
}

const SESSION_LEVELS: ReadonlySet<string> = new Set(['read-your-writes', 'monotonic-reads', 'monotonic-writes', 'writes-follow-reads']);

function writeOrderText(order: WriteOrder): string {
  return order === 'real-time'
    ? 'session guarantees ordered the writes as a single leader does: by real time and epoch (--write-order free: any order)'
    : 'session guarantees ordered the writes freely, in any order the data allows (--write-order real-time: as a single leader does)';
}

function indent(text: string): string[] {
  return text.split('\n').map((line) => `  ${line}`);
}

function headline({ file, history, judgement, millis }: FileCheck, colors: Colors): string {
  const counts = countByResult(history);
  const total = counts.ok + counts.fail + counts.info;
  const partitions = judgement.check?.partitions ?? [];
  const unchecked = judgement.check?.unchecked ?? 0;
  const checked = unchecked > 0 ? ` (${unchecked} unchecked after the first failure)` : '';
  const allKeys = partitions.length + unchecked;
  const keys = partitions.some((p) => p.key !== undefined) ? `, ${allKeys} key${allKeys === 1 ? '' : 's'}${checked}` : '';
  const steps = judgement.check ? `${judgement.check.steps} step${judgement.check.steps === 1 ? '' : 's'}, ` : '';
  const named = judgement.explanation?.findings.anomalies.length ?? 0;
  const anomalies = named > 0 ? `; ${colors.red(`${named} ${named === 1 ? 'anomaly' : 'anomalies'} named`)}` : '';
  return `${file}: ${paint(judgement.verdict, colors)} as a ${modelText(judgement)} (${total} operation${total === 1 ? '' : 's'}: ${counts.ok} ok, ${counts.fail} fail, ${counts.info} info${keys}; ${steps}${millis.toFixed(1)} ms)${anomalies}`;
}

/** "cas-register", "cas-register starting at 0", "set with eventual reads". */
function modelText(judgement: FileCheck['judgement']): string {
  if (judgement.set) return `${judgement.model} with ${judgement.set.reads} reads`;
  const initial = judgement.check?.initialValue;
  return initial === undefined ? judgement.model : `${judgement.model} starting at ${describeValue(initial)}`;
}

/** Models whose state starts from a value the user can choose (register, cas-register, multi-register). */
function startsFromValue(check: CheckResult): boolean {
  return /(^|\s)(register|cas-register|multi-register)$/.test(check.model);
}

function summaryTable(outcomes: readonly FileOutcome[], colors: Colors): string[] {
  const rows = outcomes.map((o) =>
    'error' in o
      ? [o.file, 'bad input', '', '', '', '']
      : [
          o.file,
          o.judgement.verdict,
          o.judgement.model,
          o.judgement.explanation ? String(o.judgement.explanation.findings.anomalies.length) : '-',
          String(o.history.operations.length),
          o.millis.toFixed(1),
        ],
  );
  const header = ['file', 'verdict', 'model', 'anomalies', 'operations', 'ms'];
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
    const verdict = 'error' in o ? 'bad input' : o.judgement.verdict;
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
