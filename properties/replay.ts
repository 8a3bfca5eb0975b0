import type { Event } from '../history/event.ts';
import type { ParsedCounterexample } from './counterexample.ts';
import type { Observation } from './observation.ts';
import { observe } from './observation.ts';
import { propertyNamed } from './properties.ts';
import type { PropertyVerdict } from './property.ts';

// Replaying a counterexample is running its schedule again: the model is pure, so the same preset and
// schedule give the same history, and any difference from the saved one means the model (or the file)
// changed since it was saved.

export interface ReplayResult {
  readonly observation: Observation;
  /** The property's verdict now. */
  readonly verdict: PropertyVerdict;
  /** The position of the first event that differs from the saved history, or null when they agree. */
  readonly historyDiffers: number | null;
  /** The property fails as it did when saved: same status and, for a violation, a name in common. */
  readonly sameFailure: boolean;
}

export function replayCounterexample({ content, preset }: ParsedCounterexample): ReplayResult {
  const observation = observe(preset, content.schedule);
  const verdict = propertyNamed(content.property)!.check(observation);
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
