import type { ExpectedAnomaly } from '../world/system.ts';
import type { Policy } from './policy.ts';

// Named designs, correct and flawed side by side. Each flawed preset changes as few switches from
// `safe` as its story needs, so the failure it shows is the one its name says.

export interface Preset extends Policy {
  readonly name: string;
  /** The story it shows, in two or three sentences. */
  readonly story: string;
  /** What a checker should find in its histories; empty for a correct design. */
  readonly expected: readonly ExpectedAnomaly[];
}

const sizes = { nodes: 3, clients: 3, keys: 2, electionTimeout: 3, lease: 12 } as const;
/** The correct designs must hold at any size: the campaign draws 3, 4 or 5 nodes per run. */
const anySize = { sizes: [3, 4, 5] } as const;
const raft = { replication: { kind: 'quorum' }, failover: 'fenced', reads: 'read-index', restart: 'durable' } as const;

/**
 * Raft-like: a write is acknowledged once a majority holds it; leaders are elected by a majority of
 * up-to-date voters and fenced by epochs; a read is answered after a heartbeat round confirms the leader.
 * Every property should hold.
 */
const safe: Preset = {
  name: 'safe',
  story:
    'Quorum writes, fenced elections and read-index reads: a write is acknowledged once a majority holds it, only an up-to-date node can win a majority vote, and a leader confirms it still leads before it answers a read. Nothing should ever go wrong, with 3, 4 or 5 nodes.',
  expected: [],
  ...sizes,
  ...anySize,
  ...raft,
};

/**
 * The lease designs: clocks drift by up to a quarter (each runs at 3/4 to 5/4 of real time), and a
 * follower's promise lasts long enough that a leader which trusts it whole, on a slow clock, outlives
 * it by the time an election and a write take.
 */
const leasing = { drift: 1 / 4, lease: 60 } as const;

/**
 * Like safe, but a leader answers reads under a lease: a majority acknowledged its heartbeat recently,
 * and those nodes promised to help elect no one else until the lease runs out. Clocks drift, so the
 * leader trusts its lease for less than the promise, by as much as the drift bound demands.
 */
const leaseReads: Preset = {
  name: 'lease-reads',
  story:
    "Like safe, but the leader answers reads alone while it holds a lease: a majority acknowledged one of its recent heartbeats and promised not to vote for anyone else until the lease runs out. Clocks drift by up to a quarter, so the leader trusts its lease, counted from when it sent that heartbeat, only as long as the slowest clock and the fastest allow: it ends before any follower's promise.",
  expected: [],
  ...sizes,
  ...anySize,
  ...raft,
  reads: 'lease',
  ...leasing,
};

/**
 * The leader acknowledges a write as soon as it has appended it, then dies before any follower has it.
 * A follower wins the election without the write and the old leader's log is truncated when it
 * returns: an acknowledged write is lost.
 */
const asyncFailover: Preset = {
  name: 'async-failover',
  story:
    'The leader acknowledges a write as soon as it is in its own log, then crashes before any follower has it. A follower is elected without it, and when the old leader returns its log is truncated to match: an acknowledged write is lost.',
  expected: ['lost-write'],
  ...sizes,
  ...raft,
  replication: { kind: 'async' },
};

/**
 * Semi-synchronous replication waits for one follower, not a majority. With five nodes, the leader and
 * the one follower that holds a write can both be outvoted by three that do not: the write is lost.
 */
const semiSyncFailover: Preset = {
  name: 'semi-sync-failover',
  story:
    'The leader waits for one follower before acknowledging, not for a majority. With five nodes, the three that lack a write can elect one of themselves while the leader is away: the acknowledged write is lost.',
  expected: ['lost-write'],
  ...sizes,
  ...raft,
  nodes: 5,
  replication: { kind: 'semi-sync', acks: 1 },
};

/**
 * A follower that misses heartbeats promotes itself, asking no one. When the leader is merely cut off,
 * both lead at once and both acknowledge writes, each on its own side.
 */
const naiveFailover: Preset = {
  name: 'naive-failover',
  story:
    'A follower that misses a few heartbeats promotes itself without asking anyone. When the leader is only cut off, not dead, two nodes lead at once and both acknowledge writes; whichever side loses, its writes are gone.',
  expected: ['dual-leader', 'lost-write'],
  ...sizes,
  replication: { kind: 'async' },
  failover: 'naive',
  reads: 'leader',
  restart: 'durable',
};

/**
 * An operator promotes a follower while the old leader is cut off, but nothing fences the old leader:
 * no epoch makes it step down or makes followers refuse it. When it can reach a majority again it
 * keeps committing writes that conflict with the new leader's.
 */
const noFencing: Preset = {
  name: 'no-fencing',
  story:
    "An operator promotes a follower while the old leader is cut off. Nothing fences the old leader: no epoch makes it step down or makes followers refuse it, so once it reaches a majority again it keeps committing writes that conflict with the new leader's (split brain).",
  expected: ['dual-leader', 'lost-write'],
  ...sizes,
  replication: { kind: 'quorum' },
  failover: 'manual',
  reads: 'leader',
  restart: 'durable',
};

/** Reads are offloaded to followers, which apply a write only after the leader has acknowledged it. */
const followerReads: Preset = {
  name: 'follower-reads',
  story:
    "Reads are offloaded to followers, which learn that a write is committed only with the leader's next message. A read served by a lagging follower returns a value already overwritten by an acknowledged write: a stale read.",
  expected: ['stale-read'],
  ...sizes,
  ...raft,
  reads: 'follower',
};

/**
 * The leader answers reads from its own state without confirming that it still leads. Cut off from
 * the others, it is deposed without knowing and goes on answering with values already overwritten.
 */
const staleLeaderReads: Preset = {
  name: 'stale-leader-reads',
  story:
    'The leader answers reads from its own state without checking that it still leads. Cut off from the others it is deposed without knowing, and it goes on answering with values the new leader has already overwritten: stale reads.',
  expected: ['stale-read'],
  ...sizes,
  ...raft,
  reads: 'leader',
};

/**
 * Nodes acknowledge entries before syncing them to disk. A crash of the leader and a follower that
 * together formed the majority for a write erases it from both: an acknowledged write is lost.
 */
const unsyncedRestart: Preset = {
  name: 'unsynced-restart',
  story:
    'Nodes acknowledge entries before writing them to disk and flush only now and then. When the majority that held a write crashes before its next flush, the write is gone from every log: an acknowledged write is lost.',
  expected: ['lost-write'],
  ...sizes,
  ...raft,
  restart: 'unsynced',
};

// The classic bugs of real Raft and primary/backup implementations, each one switch (or two) away from
// a correct design.

/**
 * Raft's Figure 8: a re-elected leader commits an entry of its earlier epoch by counting copies. With
 * appends of one entry each, it can spread that entry before its own no-op; if it dies then, a node
 * holding a newer epoch's entry at that index is elected and overwrites it.
 */
const figure8: Preset = {
  name: 'figure-8',
  story:
    "A leader commits an entry of an earlier epoch as soon as a majority holds it, counting copies (Raft's Figure 8), and acknowledges the write it was for. Appends carry one entry at a time, so a re-elected leader spreads its old entry before its own no-op; when it dies then, a node holding another epoch's entry at that index is elected and overwrites it: an acknowledged write is lost.",
  expected: ['lost-write'],
  ...sizes,
  ...raft,
  commitRule: 'any-epoch',
  batch: 1,
  pending: 'keep',
};

/** Votes are not written to disk: a node that voted, crashed and came back votes again in the same epoch. */
const forgottenVotes: Preset = {
  name: 'forgotten-votes',
  story:
    "A node's vote is not written to disk. A node that voted for one candidate, crashed and came back votes for another in the same epoch, so two candidates each win a majority: two leaders of one epoch, both acknowledging writes, and one side's writes are lost.",
  expected: ['dual-leader'],
  ...sizes,
  ...raft,
  votes: 'forgotten',
};

/** The leader trusts its lease as long as the followers promise, on a clock that may run slow. */
const longLease: Preset = {
  name: 'long-lease',
  story:
    "The leader trusts its lease for as long as the followers promise, forgetting that clocks drift. When its clock runs slow and a follower's fast, the promise runs out first: a new leader is elected and acknowledges writes while the old one still answers reads from its lease with the values it overwrote (stale reads).",
  expected: ['stale-read'],
  ...sizes,
  ...raft,
  reads: 'lease',
  ...leasing,
  leaderLease: leasing.lease,
};

/** The leader counts its lease from when the acknowledgement arrived, not from when it sent the heartbeat. */
const leaseFromReply: Preset = {
  name: 'lease-from-reply',
  story:
    "The leader counts its lease from when a follower's acknowledgement arrives, not from when it sent the heartbeat acknowledged. The follower's promise began when the heartbeat reached it, so a slow reply stretches the lease past the promise: a new leader takes writes while the old one still answers reads from its lease (stale reads).",
  expected: ['stale-read'],
  ...sizes,
  ...raft,
  reads: 'lease',
  ...leasing,
  leaseFrom: 'reply',
};

/** The leader checks its lease against its clock's reading at its last tick, not when the read arrives. */
const lastTickLease: Preset = {
  name: 'last-tick-lease',
  story:
    "The leader reads its clock once per tick and checks its lease against that reading when a read arrives. A leader that is not scheduled for a while (paused, starved of CPU) answers as if no time had passed: its lease ran out long ago, the followers' promise too, a new leader was elected and took writes, and the old one answers reads with the values they overwrote (stale reads).",
  expected: ['stale-read'],
  ...sizes,
  ...raft,
  reads: 'lease',
  ...leasing,
  leaseClock: 'last-tick',
};

/** Read-index without its heartbeat round: the leader never confirms it still leads. */
const unconfirmedReads: Preset = {
  name: 'unconfirmed-reads',
  story:
    'The leader answers a read once it has committed an entry of its own epoch, skipping the heartbeat round that would confirm it still leads. Cut off from the others it is deposed without knowing, and it answers with values the new leader has already overwritten: stale reads.',
  expected: ['stale-read'],
  ...sizes,
  ...raft,
  reads: 'unconfirmed-index',
};

/** Pipelined appends overtake each other, and a follower takes a stale one by overwriting its log. */
const staleAppend: Preset = {
  name: 'stale-append',
  story:
    'The leader pipelines appends, so they can arrive out of order, and a follower takes an append by overwriting everything after its start. An older, shorter append that arrives late erases entries the follower already acknowledged; the leader counts them as held, commits and acknowledges them, and when it fails they are gone: an acknowledged write is lost.',
  expected: ['lost-write'],
  ...sizes,
  ...raft,
  pipeline: 3,
  truncate: 'overwrite',
};

/** Every preset, correct ones first, in the order the CLI lists them. */
export const presetList: readonly Preset[] = [
  safe,
  leaseReads,
  asyncFailover,
  semiSyncFailover,
  naiveFailover,
  noFencing,
  followerReads,
  staleLeaderReads,
  unsyncedRestart,
  figure8,
  forgottenVotes,
  longLease,
  leaseFromReply,
  lastTickLease,
  unconfirmedReads,
  staleAppend,
];

export const presets: Readonly<Record<string, Preset>> = Object.fromEntries(presetList.map((p) => [p.name, p]));
