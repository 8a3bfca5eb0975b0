import type { Event } from '../history/event.ts';
import type { Preset } from '../models/index.ts';
import type { ParsedCounterexample } from './counterexample.ts';
import type { Observation } from './observation.ts';
import { observe } from './observation.ts';
import { propertyNamed } from './properties.ts';
import type { PropertyVerdict } from './property.ts';
import { judge } from './property.ts';
import type { Target } from './subject.ts';

// Replaying a counterexample is running its schedule again: the model and every system are pure, so
// the same design and schedule give the same history, and any difference from the saved one means the
// design (or the file) changed since it was saved.

export interface ReplayResult {
  readonly observation: Observation;
  /** The property's verdict now. */
  readonly verdict: PropertyVerdict;
  /** The position of the first event that differs from the saved history, or null when they agree. */
  readonly historyDiffers: number | null;
  /** The property fails as it did when saved: same status and, for a violation, a name in common. */
  readonly sameFailure: boolean;
}

/** A preset's file replays on its own; a system's needs the system, loaded from the module it names. */
export function replayCounterexample(parsed: ParsedCounterexample, target?: Target): ReplayResult {
  const { content } = parsed;
  if (target === undefined && parsed.kind === 'system')
    throw new Error(`replaying ${parsed.system.name} needs the system itself: load ${parsed.system.module} and pass it`);
  const design = target ?? (parsed as { readonly preset: Preset }).preset;
  const observation = observe(design, content.schedule);
  const verdict = judge(propertyNamed(content.property)!, observation);
  const saved = content.verdict;
  const sameFailure =
    verdict.status === saved.status && (verdict.status !== 'violated' || verdict.names.some((name) => saved.names.includes(name)));
  return { observation, verdict, historyDiffers: firstDifference(content.history, observation.run.events), sameFailure };
}

function firstDifference(saved: readonly Event[], replayed: readonly Event[]): number | null {
  const length = Math.max(saved.length, replayed.length);
  for (let i = 0; i < length; i++) {
    if (i >= saved.length || i >= replayed.length || JSON.stringify(saved[i]) !== JSON.stringify(replayed[i])) return i;
  }
  return null;
}
