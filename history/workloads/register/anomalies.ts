import type { Anomaly } from '../../anomaly.ts';
import type { Findings } from '../../findings.ts';
import { mergeFindings } from '../../findings.ts';
import type { History } from '../../operation.ts';
import { registerLostWrites } from './lost-writes.ts';
import { registerPhantomReads } from './phantom-reads.ts';
import type { RegisterOptions } from './register.ts';
import { registerKeys } from './register.ts';
import { registerSources } from './sources.ts';
import { registerStaleReads } from './stale-reads.ts';

// Every register detector over one shared analysis per key: the sources of reads and the overwrites of
// writes are computed once, and lost writes are known before stale reads so none is told twice.

export interface RegisterFindings {
  readonly stale: Findings;
  readonly lost: Findings;
  readonly phantom: readonly Anomaly[];
}

export function registerFindings(history: History, options: RegisterOptions = {}): RegisterFindings {
  const stale: Findings[] = [];
  const lost: Findings[] = [];
  const phantom: Anomaly[] = [];
  for (const part of registerKeys(history, options)) {
    const sources = registerSources(part);
    const lostHere = registerLostWrites(history, part, sources);
    lost.push(lostHere);
    stale.push(registerStaleReads(history, part, sources, lostHere.lost));
    phantom.push(...registerPhantomReads(history, part, sources));
  }
  return { stale: mergeFindings(stale), lost: mergeFindings(lost), phantom };
}
