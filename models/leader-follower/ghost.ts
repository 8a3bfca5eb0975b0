import { castDraft } from 'immer';
import type { StateDraft } from './draft.ts';
import type { Breach, Ghost, State } from './state.ts';
import { nodeName } from './state.ts';

// The ghost record: what has been committed and who led which epoch, kept beside the state so the
// invariants can judge any single state, and breaches noted at the moment they happen.

const MAX_BREACHES = 64;

/** Leader `leader` is about to commit entries up to `upTo` of its log. */
export function recordCommit(state: State, leader: number, upTo: number): State {
  const ghost = state.ghost;
  const log = state.nodes[leader].log;
  const overlap = Math.min(upTo, ghost.upTo);
  for (let i = 0; i < overlap; i++) {
    const was = ghost.committed[i];
    const now = log[i];
    if (was === now || was.id === now.id) continue;
    const breach: Breach = {
      kind: 'committed-changed',
      detail: `index ${i + 1} was committed as entry #${was.id} (epoch ${was.epoch}); ${nodeName(leader)} commits entry #${now.id} (epoch ${now.epoch}) there`,
      nodes: [nodeName(leader)],
      index: i + 1,
      time: state.time,
    };
    // The first committed history stays the reference: once it is contradicted the run is judged.
    return { ...state, ghost: addBreach(ghost, breach) };
  }
  const epoch = state.nodes[leader].epoch;
  if (upTo <= ghost.upTo && epoch <= ghost.epoch) return state;
  return {
    ...state,
    ghost: {
      ...ghost,
      committed: upTo > ghost.upTo ? log : ghost.committed,
      upTo: Math.max(upTo, ghost.upTo),
      epoch: Math.max(epoch, ghost.epoch),
    },
  };
}

/**
 * Leader `leader` acknowledges the write at `index` of its log. A leader deposed without knowing may
 * still finish what it began, as long as the newest leader holds it (Raft's old leader committing an
 * entry its successor already has); acknowledging a write the newest leader lacks is two leaders
 * taking writes at once.
 */
export function recordAck(state: State, leader: number, index: number): State {
  const node = state.nodes[leader];
  const newest = newestLeader(state.ghost);
  if (newest.epoch <= node.epoch) return state;
  const successor = state.nodes[newest.node];
  const entry = node.log[index - 1];
  if (successor.log[index - 1]?.id === entry.id) return state;
  const breach: Breach = {
    kind: 'deposed-ack',
    detail: `${node.id} (epoch ${node.epoch}) acknowledged entry #${entry.id} at index ${index} while ${successor.id} led epoch ${newest.epoch} without it`,
    nodes: [node.id, successor.id],
    index,
    epoch: newest.epoch,
    time: state.time,
  };
  return { ...state, ghost: addBreach(state.ghost, breach) };
}

/** The leader of the newest epoch anyone has led. */
function newestLeader(ghost: Ghost): { epoch: number; node: number } {
  let epoch = 0;
  for (const key in ghost.leaders) epoch = Math.max(epoch, Number(key));
  return { epoch, node: ghost.leaders[epoch] };
}

/** Node `leader` has just become leader of `epoch`: part of becomeLeader's recipe. */
export function recordLeader(draft: StateDraft, leader: number, epoch: number): void {
  const ghost = draft.ghost;
  const before = ghost.leaders[epoch];
  if (before === leader) return;
  if (before === undefined) {
    ghost.leaders[epoch] = leader;
    return;
  }
  const breach: Breach = {
    kind: 'two-leaders',
    detail: `${nodeName(before)} and ${nodeName(leader)} both led epoch ${epoch}`,
    nodes: [nodeName(before), nodeName(leader)],
    epoch,
    time: draft.time,
  };
  if (isNew(ghost.breaches, breach)) ghost.breaches.push(castDraft(breach));
}

/** Node `voter` grants its vote in `epoch` to `candidate`: part of onVote's recipe. */
export function recordVote(draft: StateDraft, voter: number, epoch: number, candidate: number): void {
  const ghost = draft.ghost;
  const key = `${epoch}:${voter}`;
  const before = ghost.votes[key];
  if (before === undefined) {
    ghost.votes[key] = candidate;
    return;
  }
  if (before === candidate) return;
  const breach: Breach = {
    kind: 'double-vote',
    detail: `${nodeName(voter)} voted for ${nodeName(before)} and then for ${nodeName(candidate)} in epoch ${epoch}`,
    nodes: [nodeName(voter), nodeName(before), nodeName(candidate)],
    epoch,
    time: draft.time,
  };
  if (isNew(ghost.breaches, breach)) ghost.breaches.push(castDraft(breach));
}

/** Node `index`'s commit point went down from `from` to `to` while it was up (a restart is the one excuse). */
export function recordCommitDrop(state: State, index: number, from: number, to: number): State {
  const breach: Breach = {
    kind: 'commit-regressed',
    detail: `${nodeName(index)} had committed up to index ${from}, then only up to ${to}`,
    nodes: [nodeName(index)],
    index: to + 1,
    time: state.time,
  };
  return { ...state, ghost: addBreach(state.ghost, breach) };
}

function addBreach(ghost: Ghost, breach: Breach): Ghost {
  return isNew(ghost.breaches, breach) ? { ...ghost, breaches: [...ghost.breaches, breach] } : ghost;
}

/** Each breach is noted once, and at most MAX_BREACHES of them. */
function isNew(breaches: readonly Breach[], breach: Breach): boolean {
  if (breaches.length >= MAX_BREACHES) return false;
  return !breaches.some(
    (b) => b.kind === breach.kind && b.index === breach.index && b.epoch === breach.epoch && b.nodes.join() === breach.nodes.join(),
  );
}
