import type { Action } from './action.ts';
import { isSevered } from './network.ts';
import { committedInOwnEpoch } from './reads.ts';
import type { State } from './state.ts';
import type { StepResult } from './step.ts';

// What every run ends with, so that whatever the schedule did shows in the history: heal the network,
// restart the crashed, let the cluster settle under a fair schedule, then read every key. A write that
// was acknowledged and is gone is then visible as a final read that misses it.

export interface FinaleOptions {
  /** Rounds (every up node ticks once, then every message in flight is delivered) before giving up on settling. */
  readonly rounds?: number;
}

/** Takes one action and reports what it did: the runner's step, recording the history and trace as it goes. */
export type Apply = (action: Action) => StepResult;

const DEFAULT_ROUNDS = 30;
/** Attempts per final read: a client may first have to find the leader. */
const READ_ATTEMPTS = 4;

/** Drives `apply` deterministically from `state`; returns the state at the end. */
export function finale(state: State, apply: Apply, options: FinaleOptions = {}): State {
  const rounds = options.rounds ?? DEFAULT_ROUNDS;
  let current = state;
  let lastOutcome: string | null = null;
  const act = (action: Action) => {
    const result = apply(action);
    current = result.state;
    for (const e of result.events) if (typeof e.process === 'number' && e.type !== 'invoke') lastOutcome = e.type;
  };
  /** One fair round: every up node ticks once, in order, then everything in flight is delivered. */
  const round = () => {
    for (let i = 0; i < current.nodes.length; i++) if (current.nodes[i].up) act({ kind: 'tick', node: i });
    drain();
  };
  const drain = () => {
    // Replies beget requests; a flawed design can keep two leaders talking past each other for ever.
    const cap = 64 * current.policy.nodes;
    for (let n = 0; n < cap && current.network.inFlight.length > 0; n++) act({ kind: 'deliver', pick: 0 });
  };

  if (isSevered(current)) act({ kind: 'heal' });
  for (let i = 0; i < current.nodes.length; i++) if (!current.nodes[i].up) act({ kind: 'restart', node: i });
  for (let r = 0; r < rounds && !settled(current); r++) round();
  for (let c = 0; c < current.clients.length; c++) if (current.clients[c].pending !== null) act({ kind: 'timeout', client: c });

  for (let key = 0; key < current.policy.keys; key++) {
    const client = key % current.policy.clients;
    lastOutcome = null;
    for (let attempt = 0; attempt < READ_ATTEMPTS && lastOutcome !== 'ok'; attempt++) {
      if (attempt > 0) round();
      act({ kind: 'invoke', client, f: 'read', key });
      for (let r = 0; r < rounds && current.clients[client].pending !== null; r++) {
        drain();
        if (current.clients[client].pending !== null) round();
      }
      if (current.clients[client].pending !== null) act({ kind: 'timeout', client });
    }
  }
  return current;
}

/**
 * Settled: every node up, exactly one leader, which has committed its whole log in its own epoch, and
 * every node holds that log and knows it committed; nothing in flight.
 */
export function settled(state: State): boolean {
  if (state.network.inFlight.length > 0) return false;
  const leaders = state.nodes.filter((n) => n.up && n.role === 'leader');
  if (leaders.length !== 1) return false;
  const leader = leaders[0];
  if (!committedInOwnEpoch(leader) || leader.commit !== leader.log.length) return false;
  const last = leader.log[leader.log.length - 1];
  return state.nodes.every(
    (n) => n.up && n.log.length === leader.log.length && n.log[n.log.length - 1].id === last.id && n.commit === leader.commit,
  );
}
