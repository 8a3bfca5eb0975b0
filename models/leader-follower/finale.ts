import type { Action } from '../world/action.ts';
import { isSevered } from './network.ts';
import { committedInOwnEpoch } from './reads.ts';
import type { State } from './state.ts';
import type { StepResult } from './step.ts';

// What every run ends with, so that whatever the schedule did shows in the history: heal the network,
// restart the crashed, let the cluster settle under a fair schedule, then read every key, each read
// waiting for the cluster to have settled again. A write that was acknowledged and is gone is then
// visible as a final read that misses it.

export interface FinaleOptions {
  /** Rounds (every up node ticks once, then every message in flight is delivered) before giving up on settling. */
  readonly rounds?: number;
}

/** Takes one action and reports what it did: the runner's step, recording the history and trace as it goes. */
export type Apply = (action: Action) => StepResult;

const DEFAULT_ROUNDS = 30;
/** Attempts per final read: a client may first have to find the leader, or wait out a lost lease. */
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
  // A cluster that did not settle in the first `rounds` (a flawed design's two leaders) is not waited
  // for again: each final read would spend as long again for nothing.
  let settles = true;
  const settle = () => {
    if (!settles) return;
    for (let r = 0; r < rounds && !settled(current); r++) round();
    settles = settled(current);
  };
  /**
   * A final read waits for a settled cluster, and then for one heartbeat round of its leader: a read
   * under a lease or a read index is answered at once, not after a lease ran out during the settling.
   */
  const readyToRead = () => {
    settle();
    const leader = soleLeader(current);
    if (leader < 0 || !settled(current)) return;
    act({ kind: 'tick', node: leader });
    drain();
  };

  if (isSevered(current)) act({ kind: 'heal' });
  for (let i = 0; i < current.nodes.length; i++) if (!current.nodes[i].up) act({ kind: 'restart', node: i });
  settle();
  for (let c = 0; c < current.clients.length; c++) if (current.clients[c].pending !== null) act({ kind: 'timeout', client: c });

  for (let key = 0; key < current.policy.keys; key++) {
    const client = key % current.policy.clients;
    lastOutcome = null;
    for (let attempt = 0; attempt < READ_ATTEMPTS && lastOutcome !== 'ok'; attempt++) {
      if (attempt > 0) round();
      readyToRead();
      act({ kind: 'invoke', client, f: 'read', key });
      for (let r = 0; r < rounds && current.clients[client].pending !== null; r++) {
        drain();
        if (current.clients[client].pending !== null) round();
      }
      if (current.clients[client].pending !== null) act({ kind: 'timeout', client });
    }
  }
  settle();
  return current;
}

/** The one up leader's index, or -1 when there is none or several. */
function soleLeader(state: State): number {
  let found = -1;
  for (let i = 0; i < state.nodes.length; i++) {
    const node = state.nodes[i];
    if (!node.up || node.role !== 'leader') continue;
    if (found >= 0) return -1;
    found = i;
  }
  return found;
}

/**
 * Settled: every node up; exactly one leader, which has committed its whole log in its own epoch;
 * every other node a follower of that leader in that epoch (no candidate, no node at a newer epoch
 * that would depose it), holding its log and knowing it committed; nothing in flight that could
 * still change a node.
 */
export function settled(state: State): boolean {
  if (state.network.inFlight.length > 0) return false;
  const index = soleLeader(state);
  if (index < 0) return false;
  const leader = state.nodes[index];
  if (!committedInOwnEpoch(leader) || leader.commit !== leader.log.length) return false;
  const last = leader.log[leader.log.length - 1];
  return state.nodes.every(
    (n, i) =>
      n.up &&
      n.epoch === leader.epoch &&
      (i === index || (n.role === 'follower' && n.leader === index)) &&
      n.log.length === leader.log.length &&
      n.log[n.log.length - 1].id === last.id &&
      n.commit === leader.commit,
  );
}
