import type { Anomaly, AnomalyKind } from './anomaly.ts';
import type { Key } from './event.ts';

// What a detector concludes: the anomalies it proved, and what it looked at but could not decide.
// An inconclusive finding is never an anomaly: it says which operations might show one and why the
// history cannot tell (a value written more than once, say), so nobody mistakes silence for a proof.

export interface Inconclusive {
  /** The anomaly these operations might show. */
  readonly kind: AnomalyKind;
  readonly key?: Key;
  /** Operation ids that might show it. */
  readonly ops: readonly number[];
  /** One line: what can and cannot be concluded. */
  readonly reason: string;
}

export interface Findings {
  readonly anomalies: readonly Anomaly[];
  readonly inconclusive: readonly Inconclusive[];
}

export const NO_FINDINGS: Findings = { anomalies: [], inconclusive: [] };

/** All findings together; an anomaly two detectors both prove (same kind, key and ops) is kept once. */
export function mergeFindings(parts: readonly Findings[]): Findings {
  const seen = new Set<string>();
  const anomalies: Anomaly[] = [];
  for (const part of parts) {
    for (const anomaly of part.anomalies) {
      const identity = `${anomaly.kind} ${String(anomaly.key)} ${anomaly.ops.join(',')} ${anomaly.events?.join(',') ?? ''}`;
      if (seen.has(identity)) continue;
      seen.add(identity);
      anomalies.push(anomaly);
    }
  }
  return { anomalies, inconclusive: parts.flatMap((part) => part.inconclusive) };
}
