import type { Draft } from 'immer';
import { Immer } from 'immer';
import type { State } from './state.ts';

// Faults (crash, restart, partition, cut, heal) and role changes (follower, candidate, leader, a vote)
// are immer recipes: each changes a draft of the state, and immer copies only the records it touched.
// The hot path (client operations, replication, message plumbing, ticks) stays hand-written
// copy-on-write: as recipes it ran 3-5 times slower, far under 100,000 steps a second (README.md).

const immer = new Immer();
// Off: autoFreeze would deep-freeze every state, logs included, and Node 20's V8 slices frozen arrays
// dozens of times slower; nothing here ever mutates a state anyway.
immer.setAutoFreeze(false);

export type StateDraft = Draft<State>;

/** The state after `recipe` changed a draft of it; `state` itself is never modified. */
export function produce(state: State, recipe: (draft: StateDraft) => void): State {
  return immer.produce(state, recipe);
}
