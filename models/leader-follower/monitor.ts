import { valueEqual } from '../../history/value.ts';
import type { Finding, Monitor, MonitorStep, NodeView } from '../world/system.ts';
import type { Log } from './log.ts';
import { agreedLength } from './log.ts';
import type { Policy } from './policy.ts';
import { leaseHolds } from './reads.ts';
import type { Store } from './store.ts';
import { replay, storesEqual } from './store.ts';
import type { LeaderFollowerNode } from './system.ts';

// The safety invariants of single-leader replication, watched over a whole run (the System
// interface's monitor). Some need history no single moment shows, so the monitor keeps a ghost record
// beside the nodes: what was committed, who led each epoch, who voted for whom, each node's last
// commit point. The rest are judged on the nodes after every step. Flawed presets are expected to
// break some of these; `safe` never may.

export type InvariantKind =
  /** Two nodes led the same epoch. */
  | 'two-leaders'
  /** A leader of an old epoch acknowledged a write that the leader of the newest epoch lacks. */
  | 'deposed-ack'
  /** A committed entry was replaced by another. */
  | 'committed-changed'
  /** A leader of the newest committing epoch (or later) lacks a committed entry. */
  | 'committed-lost'
  /** Two logs hold an entry of the same index and epoch but differ at or before it. */
  | 'log-mismatch'
  /** A node's committed prefix is not a prefix of its leader's log. */
  | 'committed-prefix'
  /** A node applied entries beyond its commit point, or its store is not its log replayed to its applied index. */
  | 'store-mismatch'
  /** A node's commit point went down while it was up (only a restart forgets it). */
  | 'commit-regressed'
  /** A node granted its vote to two candidates in one epoch. */
  | 'double-vote'
  /** A node leads a newer epoch while an older leader's lease still holds. */
  | 'lease-overlap'
  /** A leader believes a follower of its epoch holds entries (matchIndex) that the follower does not. */
  | 'match-beyond-log';

export interface Violation extends Finding {
  readonly kind: InvariantKind;
  readonly nodes: readonly string[];
}

type Node = LeaderFollowerNode;
type View = NodeView<Node>;

/** Each ghost breach is noted once, and at most this many of them. */
const MAX_BREACHES = 64;

/** A fresh watcher for one run that starts from `start`. */
export function leaderFollowerMonitor(policy: Policy, start: readonly View[]): Monitor<Node> {
  const ghost = new Ghost(policy, start);
  return (step) => ghost.step(step);
}

class Ghost {
  private readonly policy: Policy;
  /** Entries 1..upTo of this log are the committed ones; `epoch` the newest epoch anything was committed in. */
  private committed: Log;
  private upTo: number;
  private epoch: number;
  /** The node that led each epoch, by epoch. */
  private readonly leaders = new Map<number, number>();
  private newestEpoch = 1;
  /** The vote each node granted in each epoch, by `${epoch}:${voter}`: durable or not, a vote is cast once. */
  private readonly votes = new Map<string, number>();
  private readonly up: boolean[];
  private readonly commits: number[];
  private readonly seen = new Set<string>();
  private found: Violation[] = [];

  constructor(policy: Policy, start: readonly View[]) {
    this.policy = policy;
    const first = start[0]!.state;
    this.committed = first.log;
    this.upTo = first.commit;
    this.epoch = first.epoch;
    this.leaders.set(first.epoch, 0);
    this.up = start.map((n) => n.up);
    this.commits = start.map((n) => n.state.commit);
  }

  step({ time, nodes, clocks, events }: MonitorStep<Node>): readonly Finding[] {
    this.found = [];
    for (let i = 0; i < nodes.length; i++) {
      const { up, state: node } = nodes[i]!;
      const wasUp = this.up[i]!;
      const before = this.commits[i]!;
      this.up[i] = up;
      this.commits[i] = node.commit;
      if (!up) continue;
      if (wasUp && node.commit < before) {
        this.breach(
          {
            kind: 'commit-regressed',
            detail: `${nodes[i]!.id} had committed up to index ${before}, then only up to ${node.commit}`,
            nodes: [nodes[i]!.id],
          },
          time,
          `${before}`,
        );
      }
      if (node.role === 'leader') {
        this.leader(nodes, i, time);
        if (node.commit > before || !wasUp) this.commit(nodes, i, time);
      }
      if (node.votedFor !== null && node.votedFor !== i) this.vote(nodes, i, time);
    }
    for (const e of events) {
      if (e.type === 'ok' && e.f !== 'read' && typeof e.process === 'number' && e.node !== undefined)
        this.ack(nodes, e.node, e.value, time);
    }
    const out: Finding[] = this.found;
    return out.concat(stateInvariants(this.policy, clocks, nodes, this));
  }

  /** Node `leader` leads its epoch: two leaders of one epoch, ever, is a breach. */
  private leader(nodes: readonly View[], leader: number, time: number): void {
    const epoch = nodes[leader]!.state.epoch;
    const before = this.leaders.get(epoch);
    if (before === leader) return;
    if (before === undefined) {
      this.leaders.set(epoch, leader);
      this.newestEpoch = Math.max(this.newestEpoch, epoch);
      return;
    }
    const [a, b] = [nodes[before]!.id, nodes[leader]!.id];
    this.breach({ kind: 'two-leaders', detail: `${a} and ${b} both led epoch ${epoch}`, nodes: [a, b] }, time, `${epoch}`);
  }

  /** Leader `leader` has committed up to its commit point: what it committed must agree with what was. */
  private commit(nodes: readonly View[], leader: number, time: number): void {
    const node = nodes[leader]!.state;
    const log = node.log;
    const upTo = node.commit;
    const overlap = Math.min(upTo, this.upTo);
    const agreed = agreedLength(this.committed, log, overlap);
    if (agreed < overlap) {
      const was = this.committed[agreed]!;
      const now = log[agreed]!;
      const id = nodes[leader]!.id;
      // The first committed history stays the reference: once it is contradicted the run is judged.
      this.breach(
        {
          kind: 'committed-changed',
          detail: `index ${agreed + 1} was committed as entry #${was.id} (epoch ${was.epoch}); ${id} commits entry #${now.id} (epoch ${now.epoch}) there`,
          nodes: [id],
        },
        time,
        `${agreed + 1}`,
      );
      return;
    }
    if (upTo > this.upTo) {
      this.committed = log;
      this.upTo = upTo;
    }
    this.epoch = Math.max(this.epoch, node.epoch);
  }

  /** Node `voter` has granted its vote in its epoch: a second candidate in the same epoch is a breach. */
  private vote(nodes: readonly View[], voter: number, time: number): void {
    const node = nodes[voter]!.state;
    const key = `${node.epoch}:${voter}`;
    const before = this.votes.get(key);
    const candidate = node.votedFor!;
    if (before === undefined) {
      this.votes.set(key, candidate);
      return;
    }
    if (before === candidate) return;
    const [v, a, b] = [nodes[voter]!.id, nodes[before]!.id, nodes[candidate]!.id];
    this.breach(
      { kind: 'double-vote', detail: `${v} voted for ${a} and then for ${b} in epoch ${node.epoch}`, nodes: [v, a, b] },
      time,
      `${node.epoch}`,
    );
  }

  /**
   * A leader acknowledged a write. A leader deposed without knowing may still finish what it began,
   * as long as the newest leader holds it (Raft's old leader committing an entry its successor already
   * has); acknowledging a write the newest leader lacks is two leaders taking writes at once.
   */
  private ack(nodes: readonly View[], id: string, value: unknown, time: number): void {
    const acker = nodes.findIndex((n) => n.id === id);
    if (acker < 0) return;
    const node = nodes[acker]!.state;
    const newest = this.newestEpoch;
    if (newest <= node.epoch) return;
    const successor = nodes[this.leaders.get(newest)!]!;
    let index = node.applied;
    while (index > 0) {
      const command = node.log[index - 1]!.command;
      if (command.kind === 'client' && valueEqual(command.value, value as never)) break;
      index--;
    }
    if (index === 0) return;
    const entry = node.log[index - 1]!;
    if (successor.state.log[index - 1]?.id === entry.id) return;
    this.breach(
      {
        kind: 'deposed-ack',
        detail: `${id} (epoch ${node.epoch}) acknowledged entry #${entry.id} at index ${index} while ${successor.id} led epoch ${newest} without it`,
        nodes: [id, successor.id],
      },
      time,
      `${index}:${newest}`,
    );
  }

  private breach(violation: Omit<Violation, 'detail'> & { detail: string }, time: number, where: string): void {
    const key = `${violation.kind}|${violation.nodes.join()}|${where}`;
    if (this.seen.has(key) || this.seen.size >= MAX_BREACHES) return;
    this.seen.add(key);
    this.found.push({ ...violation, detail: `${violation.detail} (at time ${time})` });
  }

  /** What the state invariants need of the record. */
  get record(): { readonly committed: Log; readonly upTo: number; readonly epoch: number; readonly leaders: ReadonlyMap<number, number> } {
    return { committed: this.committed, upTo: this.upTo, epoch: this.epoch, leaders: this.leaders };
  }
}

/**
 * The invariants one moment shows, judged on the nodes after a step and the ghost's record. (Two
 * leaders of one epoch at once need no check of their own: the ghost sees both lead.)
 */
function stateInvariants(policy: Policy, clocks: readonly number[], views: readonly View[], ghost: Ghost): Violation[] {
  const out: Violation[] = [];
  const record = ghost.record;
  const up = views.filter((n) => n.up);
  const leaders = up.filter((n) => n.state.role === 'leader');
  committedUnchanged(record, up, out);
  committedKept(record, leaders, out);
  logsMatch(views, out);
  committedPrefixes(up, leaders, out);
  storesReplayLogs(policy, up, out);
  if (policy.reads === 'lease') leasesExclusive(policy, clocks, record.leaders, views, leaders, out);
  matchesHeld(views, leaders, out);
  return out;
}

function committedUnchanged(record: Ghost['record'], up: readonly View[], out: Violation[]): void {
  const { committed, upTo } = record;
  for (const { id, state: node } of up) {
    const index = firstDifference(node.log, committed, Math.min(node.commit, upTo));
    if (index === 0) continue;
    out.push({
      kind: 'committed-changed',
      detail: `${id} counts index ${index} as committed but holds entry #${node.log[index - 1]!.id} there, not the committed #${committed[index - 1]!.id}`,
      nodes: [id],
    });
  }
}

function committedKept(record: Ghost['record'], leaders: readonly View[], out: Violation[]): void {
  const { committed, upTo, epoch } = record;
  for (const { id, state: leader } of leaders) {
    if (leader.epoch < epoch) continue;
    const index = firstDifference(leader.log, committed, upTo);
    if (index === 0) continue;
    out.push({
      kind: 'committed-lost',
      detail: `${id} leads epoch ${leader.epoch} without committed entry #${committed[index - 1]!.id} at index ${index}`,
      nodes: [id],
    });
  }
}

function logsMatch(nodes: readonly View[], out: Violation[]): void {
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i]!.state.log;
      const b = nodes[j]!.state.log;
      let shared = Math.min(a.length, b.length);
      while (shared > 0 && a[shared - 1]!.epoch !== b[shared - 1]!.epoch) shared--;
      const index = firstDifference(a, b, shared);
      if (index === 0) continue;
      out.push({
        kind: 'log-mismatch',
        detail: `${nodes[i]!.id} and ${nodes[j]!.id} share index ${shared} in epoch ${a[shared - 1]!.epoch} but differ at index ${index}`,
        nodes: [nodes[i]!.id, nodes[j]!.id],
      });
    }
  }
}

function committedPrefixes(up: readonly View[], leaders: readonly View[], out: Violation[]): void {
  if (leaders.length === 0) return;
  const newest = Math.max(...leaders.map((l) => l.state.epoch));
  for (const leader of leaders) {
    if (leader.state.epoch !== newest) continue;
    for (const { id, state: node } of up) {
      if (node === leader.state || node.epoch > newest) continue;
      const index = firstDifference(node.log, leader.state.log, node.commit);
      if (index === 0) continue;
      out.push({
        kind: 'committed-prefix',
        detail: `${id} has committed up to index ${node.commit}, but ${leader.id} (epoch ${newest}) differs from it at index ${index}`,
        nodes: [id, leader.id],
      });
    }
  }
}

/** Stores already proved equal to their log's replay, so a step that changed neither costs nothing. */
const replayed = new WeakMap<Store, { readonly log: Log; readonly applied: number }>();

function storesReplayLogs(policy: Policy, up: readonly View[], out: Violation[]): void {
  for (const { id, state: node } of up) {
    if (node.applied > node.commit) {
      out.push({
        kind: 'store-mismatch',
        detail: `${id} applied up to index ${node.applied}, beyond its commit point ${node.commit}`,
        nodes: [id],
      });
      continue;
    }
    const known = replayed.get(node.store);
    if (known && known.log === node.log && known.applied === node.applied) continue;
    const expected = replay(policy.keys, node.log, Math.min(node.applied, node.log.length));
    if (node.applied <= node.log.length && storesEqual(expected, node.store)) {
      replayed.set(node.store, { log: node.log, applied: node.applied });
      continue;
    }
    const key = expected.values.findIndex((value, k) => !valueEqual(value, node.store.values[k]!));
    out.push({
      kind: 'store-mismatch',
      detail: `${id}'s store is not its log replayed to its applied index ${node.applied}${key >= 0 ? ` (key ${key})` : ''}`,
      nodes: [id],
    });
  }
}

/** Under leased reads, no node may have led a newer epoch while a leader still holds its lease (by its own clock). */
function leasesExclusive(
  policy: Policy,
  clocks: readonly number[],
  led: ReadonlyMap<number, number>,
  views: readonly View[],
  leaders: readonly View[],
  out: Violation[],
): void {
  for (const { id, state: leader } of leaders) {
    if (!leaseHolds(policy, leader, clocks[leader.index]!)) continue;
    for (const [epoch, node] of led) {
      if (epoch <= leader.epoch) continue;
      const other = views[node]!.id;
      out.push({
        kind: 'lease-overlap',
        detail: `${id} holds its lease for epoch ${leader.epoch} while ${other} has led epoch ${epoch}`,
        nodes: [id, other],
      });
    }
  }
}

/** A leader's matchIndex for a follower of its own epoch never runs ahead of what that follower holds. */
function matchesHeld(views: readonly View[], leaders: readonly View[], out: Violation[]): void {
  for (const { id, state: leader } of leaders) {
    for (let j = 0; j < views.length; j++) {
      const { id: fid, state: follower } = views[j]!;
      const match = leader.peers[j]!.match;
      if (follower === leader || follower.epoch !== leader.epoch || match === 0) continue;
      if (agreedLength(leader.log, follower.log, match) === match) continue;
      out.push({
        kind: 'match-beyond-log',
        detail:
          leader.log.length < match
            ? `${id} counts ${fid} as holding its log up to index ${match}, beyond its own ${leader.log.length} entries`
            : `${id} counts ${fid} as holding its log up to index ${match}, but ${fid} holds ${follower.log.length} entries${follower.log.length >= match ? ', not the same ones' : ''}`,
        nodes: [id, fid],
      });
    }
  }
}

/** The first index in 1..upTo where the logs differ (a missing entry counts), or 0 when they agree. */
function firstDifference(a: Log, b: Log, upTo: number): number {
  const agreed = agreedLength(a, b, upTo);
  return agreed >= upTo ? 0 : agreed + 1;
}
