import type { Value } from '../../history/value.ts';
import type { OpF } from '../world/action.ts';
import type { Log } from './log.ts';
import { NOOP } from './log.ts';
import type { Message } from './message.ts';
import type { Policy } from './policy.ts';
import { validatePolicy } from './policy.ts';
import type { Store } from './store.ts';
import { emptyStore } from './store.ts';

// The whole model as plain data. Nothing here is ever mutated: a step builds a new State that shares
// every part it did not change (nodes, logs, entries, messages) with the old one. Faults and role
// changes do so with immer recipes (draft.ts); the hot path copies on write by hand with the helpers
// below, because as immer recipes it ran 3-5 times slower (README.md). Logs stay plain arrays, never
// frozen: immer's finalize walks an unfrozen array assigned into a draft entry by entry, and Node 20's
// V8 slices a frozen one dozens of times slower. The step stays pure all the same, and a test
// deep-freezes its input to prove it.

export type Role = 'leader' | 'follower' | 'candidate';

/** What a leader knows of one follower's log (its own slot is unused). */
export interface Peer {
  /** The next entry to send. */
  readonly next: number;
  /** The highest entry known to be on the follower. */
  readonly match: number;
  /** The highest read round the follower acknowledged. */
  readonly round: number;
  /** When the newest heartbeat the follower acknowledged was sent (-1: none). */
  readonly sentAt: number;
}

export interface Node {
  readonly id: string;
  readonly up: boolean;
  /** Kept while down: a non-fenced leader resumes leading after a restart. */
  readonly role: Role;
  readonly epoch: number;
  readonly votedFor: number | null;
  /** Candidate: bit i set when node i granted its vote. */
  readonly votes: number;
  /** The node this one believes leads, if any. */
  readonly leader: number | null;
  readonly log: Log;
  /** Entries 1..synced survive a crash. */
  readonly synced: number;
  readonly commit: number;
  readonly applied: number;
  readonly store: Store;
  /** Ticks since the leader was last heard from (follower) or the election began (candidate). */
  readonly idle: number;
  /** Logical time this node last accepted its leader's heartbeat: it votes for no one for a lease after. */
  readonly heardAt: number;
  /** Leader: the newest read round it started. */
  readonly round: number;
  readonly peers: readonly Peer[];
}

/** A client's operation in flight: the client waits on `node` for it. */
export interface PendingOp {
  readonly seq: number;
  readonly f: OpF;
  readonly key: number;
  /** What was asked: nil for a read, the value for write/append, [expected, new] for cas. */
  readonly value: Value;
  readonly node: number;
  /** read-index: the read round that must be confirmed before it is answered. */
  readonly round: number;
}

export interface Client {
  /** The node it sends writes (and leader reads) to: the leader as far as it knows. */
  readonly target: number;
  readonly pending: PendingOp | null;
  readonly seq: number;
}

export interface Network {
  /** Bit j of cuts[i] set: messages from node i to node j are lost. */
  readonly cuts: readonly number[];
  /** In send order; a schedule delivers, drops or duplicates any of them. */
  readonly inFlight: readonly Message[];
}

/**
 * What the invariants need that no single state shows: the committed entries, who led each epoch,
 * and breaches seen at the moment they happened (they may be undone, but they happened).
 */
export interface Ghost {
  /** Entries 1..upTo of this log are the committed ones. */
  readonly committed: Log;
  readonly upTo: number;
  /** The newest epoch in which anything was committed. */
  readonly epoch: number;
  /** The node that led each epoch, by epoch. */
  readonly leaders: Readonly<Record<number, number>>;
  /** The vote each node granted in each epoch, by `${epoch}:${voter}`: durable or not, a vote is cast once. */
  readonly votes: Readonly<Record<string, number>>;
  readonly breaches: readonly Breach[];
}

export interface Breach {
  readonly kind: 'two-leaders' | 'committed-changed' | 'deposed-ack' | 'double-vote' | 'commit-regressed';
  readonly detail: string;
  readonly nodes: readonly string[];
  readonly index?: number;
  readonly epoch?: number;
  readonly time: number;
}

export interface State {
  readonly policy: Policy;
  /** Logical time: the number of steps taken. */
  readonly time: number;
  readonly nodes: readonly Node[];
  readonly clients: readonly Client[];
  readonly network: Network;
  /** Written values are 1, 2, 3, ...: unique in a run. */
  readonly nextValue: number;
  readonly nextEntryId: number;
  readonly nextMessageId: number;
  /** Per key, the newest written values (newest first): what a cas may expect. */
  readonly recent: readonly (readonly Value[])[];
  readonly ghost: Ghost;
}

const NAMES = Array.from({ length: 32 }, (_, i) => `n${i + 1}`);

export function nodeName(index: number): string {
  return NAMES[index] ?? `n${index + 1}`;
}

export function freshPeers(count: number, logLength: number): readonly Peer[] {
  return Array.from({ length: count }, () => ({ next: logLength + 1, match: 0, round: 0, sentAt: -1 }));
}

/**
 * n1 leads epoch 1; every node holds and has applied its no-op, so the cluster starts settled.
 * Throws a RangeError for a policy out of range.
 */
export function initialState(policy: Policy): State {
  validatePolicy(policy);
  const first = Object.freeze({ index: 1, epoch: 1, id: 1, command: NOOP });
  const log: Log = [first];
  const store = emptyStore(policy.keys);
  const nodes = Array.from({ length: policy.nodes }, (_, i): Node => ({
    id: nodeName(i),
    up: true,
    role: i === 0 ? 'leader' : 'follower',
    epoch: 1,
    votedFor: 0,
    votes: 0,
    leader: 0,
    log,
    synced: 1,
    commit: 1,
    applied: 1,
    store,
    idle: 0,
    heardAt: 0,
    round: 0,
    peers: i === 0 ? freshPeers(policy.nodes, 1).map((p) => ({ ...p, match: 1, next: 2 })) : freshPeers(policy.nodes, 1),
  }));
  return {
    policy,
    time: 0,
    nodes,
    clients: Array.from({ length: policy.clients }, () => ({ target: 0, pending: null, seq: 0 })),
    network: { cuts: new Array<number>(policy.nodes).fill(0), inFlight: [] },
    nextValue: 1,
    nextEntryId: 2,
    nextMessageId: 1,
    recent: Array.from({ length: policy.keys }, () => []),
    ghost: { committed: log, upTo: 1, epoch: 1, leaders: { 1: 0 }, votes: {}, breaches: [] },
  };
}

export function withNode(state: State, index: number, node: Node): State {
  const nodes = state.nodes.slice();
  nodes[index] = node;
  return { ...state, nodes };
}

export function withClient(state: State, index: number, client: Client): State {
  const clients = state.clients.slice();
  clients[index] = client;
  return { ...state, clients };
}

export function withPeer(node: Node, index: number, peer: Peer): Node {
  const peers = node.peers.slice();
  peers[index] = peer;
  return { ...node, peers };
}
