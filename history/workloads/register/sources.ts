import { firstGreater } from '../../algorithms/first-greater.ts';
import type { RegisterKey } from './register.ts';
import { INITIAL_WRITE, writersByValue } from './register.ts';

// For each read of a register: which writes could have produced what it saw, and for each write, the
// earliest moment it was certainly overwritten: when another write of a different value, begun after
// this one completed, itself completed. A read that began after every possible source was overwritten
// returned a stale value, whatever the interleaving.

interface ReadSource {
  /** Indices into RegisterKey.writes (INITIAL_WRITE for the initial value) that wrote what the read saw. */
  readonly candidates: readonly number[];
  /** The latest completion among them: the value was certainly written before this position. */
  readonly latestComplete: number;
}

interface Overwrite {
  /** Position (completion of the overwriting write) from which the value is certainly overwritten. */
  readonly at: number;
  /** Index into RegisterKey.writes of the overwriting write. */
  readonly by: number;
}

export interface RegisterSources {
  /** Per read (RegisterKey.reads order); undefined when no write, not even a failed one, wrote the value. */
  readonly sources: readonly (ReadSource | undefined)[];
  /** Undefined for a write never certainly overwritten (an :info write may land at any time). */
  overwriteOf(candidate: number): Overwrite | undefined;
}

export function registerSources(part: RegisterKey): RegisterSources {
  const writers = writersByValue(part);
  const completion = (candidate: number) => (candidate === INITIAL_WRITE ? -1 : part.writes[candidate].complete);
  const sources = part.reads.map((read) => {
    const candidates = writers.get(read.value);
    if (!candidates) return undefined;
    let latestComplete = -1;
    for (const c of candidates) latestComplete = Math.max(latestComplete, completion(c));
    return { candidates, latestComplete };
  });
  const earliest = earliestLaterCompletion(part);
  const memo = new Map<number, Overwrite | undefined>();
  const overwriteOf = (candidate: number): Overwrite | undefined => {
    if (memo.has(candidate)) return memo.get(candidate);
    const since = completion(candidate);
    const value = candidate === INITIAL_WRITE ? part.initial : part.writes[candidate].value;
    const found = since === Infinity ? undefined : earliest(since, value);
    memo.set(candidate, found);
    return found;
  };
  return { sources, overwriteOf };
}

/**
 * earliest(t, v): among ok writes invoked after position t whose value is not v, the one that completed
 * first. Suffix minima over writes in invocation order, keeping the best two of different values so a
 * write is never "overwritten" by a write of its own value.
 */
function earliestLaterCompletion(part: RegisterKey): (after: number, value: RegisterKey['initial']) => Overwrite | undefined {
  const ok = part.writes.map((_, i) => i).filter((i) => part.writes[i].ok);
  const n = ok.length;
  const best = new Int32Array(n + 1).fill(-1);
  const second = new Int32Array(n + 1).fill(-1);
  const done = (w: number) => (w < 0 ? Infinity : part.writes[w].complete);
  for (let i = n - 1; i >= 0; i--) {
    const ranked = [ok[i], best[i + 1], second[i + 1]].filter((w) => w >= 0).sort((a, b) => done(a) - done(b));
    best[i] = ranked[0];
    second[i] = ranked.find((w) => part.writes[w].value !== part.writes[ranked[0]].value) ?? -1;
  }
  const invokes = ok.map((w) => part.writes[w].invoke);
  return (after, value) => {
    const from = firstGreater(invokes, after);
    const pick = best[from] >= 0 && part.writes[best[from]].value !== value ? best[from] : second[from];
    return pick >= 0 ? { at: part.writes[pick].complete, by: pick } : undefined;
  };
}
