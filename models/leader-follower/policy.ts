// A policy is the set of switches that turns the one model into a correct or a flawed design. Plain
// data, so a preset, a counterexample file and a CLI flag can all carry it.

/** When the leader acknowledges a write: after its own append, after k followers, a majority, or all. */
export type Replication =
  | { readonly kind: 'async' }
  | { readonly kind: 'semi-sync'; readonly acks: number }
  | { readonly kind: 'quorum' }
  | { readonly kind: 'all' };

/**
 * How a new leader comes to be:
 * - none: never; the leader stays the leader, through crashes and restarts;
 * - manual: only when an operator promotes a node; nothing stops the old leader;
 * - naive: a follower that misses heartbeats promotes itself, without asking anyone;
 * - fenced: epochs and majority votes; only an up-to-date log wins; a node steps down on seeing a
 *   higher epoch and rejects messages of older epochs.
 */
export type Failover = 'none' | 'manual' | 'naive' | 'fenced';

/**
 * Who answers a read:
 * - leader: whichever node believes it leads, from its own state;
 * - follower: a node other than the leader the client knows, from its own state (offloaded);
 * - read-index: the leader, after a heartbeat round to a majority confirms it still leads;
 * - unconfirmed-index: the leader, once it has committed in its own epoch, without that round (a flaw:
 *   a deposed leader that does not know it answers from its old state);
 * - lease: the leader, while a majority's acknowledgement of its heartbeats keeps others from voting.
 */
export type ReadPolicy = 'leader' | 'follower' | 'read-index' | 'unconfirmed-index' | 'lease';

/**
 * What a crash keeps: durable nodes sync every append before acknowledging it; unsynced nodes flush
 * their log only on a clock tick, so a crash loses whatever was appended since the last tick.
 */
export type RestartPolicy = 'durable' | 'unsynced';

/**
 * What a restart keeps of a node's vote: durable nodes store it with their epoch; forgetful ones lose
 * it and may vote again, for someone else, in the epoch they already voted in.
 */
export type VotePolicy = 'durable' | 'forgotten';

/**
 * How a follower takes an append whose entries it partly holds:
 * - on-conflict: Raft's rule, it cuts its log only where an entry's epoch differs from the append's;
 * - overwrite: it replaces everything after the append's start with the append's entries (a flaw: a
 *   stale append, overtaken by a newer one, erases the entries the newer one brought and that the
 *   follower already acknowledged).
 */
export type TruncatePolicy = 'on-conflict' | 'overwrite';

/**
 * Which entries a leader commits by counting the followers that hold them:
 * - own-epoch: only its own epoch's (Raft's rule; older ones commit with them);
 * - any-epoch: any entry a majority holds (a flaw: Raft's Figure 8, where an entry of an old epoch so
 *   committed is then overwritten by a leader that never had it).
 */
export type CommitRule = 'own-epoch' | 'any-epoch';

/**
 * Where a leader counts its lease from: when it sent the heartbeat a majority acknowledged (right, as
 * the followers' promise starts no earlier), or when the acknowledgement arrived (a flaw: a slow reply
 * stretches the lease past the promise).
 */
export type LeaseStart = 'sent' | 'reply';

/**
 * Which reading of its clock a leader checks its lease against when a read arrives:
 * - on-read: the clock read then;
 * - last-tick: the reading its last tick took (a flaw: a leader that was not scheduled for a while, paused
 *   or starved, answers as if no time had passed since, though its lease ran out and a newer leader
 *   took writes meanwhile). A pause between reading the clock and answering is harmless when the clock
 *   is read after the request arrived: the read then linearizes at that reading.
 */
export type LeaseClock = 'on-read' | 'last-tick';

/**
 * What a leader that steps down does with the writes it has not yet acknowledged:
 * - abandon: its clients learn nothing more (a write may still take effect);
 * - keep: it holds on to them and acknowledges each one whose entry it commits should it lead again,
 *   as etcd's wait registry does (right in itself; what turns a Figure 8 commit into a lost ack).
 */
export type PendingPolicy = 'abandon' | 'keep';

export interface Policy {
  readonly replication: Replication;
  readonly failover: Failover;
  readonly reads: ReadPolicy;
  readonly restart: RestartPolicy;
  /** Default durable. */
  readonly votes?: VotePolicy;
  /** Cluster size; node i is named `n${i + 1}`. */
  readonly nodes: number;
  /** Every cluster size the design may run at, `nodes` among them: the campaign draws one per run. Default just `nodes`. */
  readonly sizes?: readonly number[];
  readonly clients: number;
  /** Keys 0..keys-1, each starting as nil. */
  readonly keys: number;
  /** Ticks without a heartbeat before node i gives up on its leader: electionTimeout + i. */
  readonly electionTimeout: number;
  /**
   * How long a follower promises, on its own clock, not to help elect anyone after accepting a
   * heartbeat (logical time: steps at the normal rate).
   */
  readonly lease: number;
  /** How long the leader trusts its lease on its own clock; default the longest the drift allows (leaseFor). */
  readonly leaderLease?: number;
  /** Default sent. */
  readonly leaseFrom?: LeaseStart;
  /** Default on-read. */
  readonly leaseClock?: LeaseClock;
  /**
   * The clock drift the design is built for, and the world imposes: each node's clock runs at a rate
   * the schedule picks within 1 ± drift. A multiple of 1/1024 below 1/2 (exact clocks); default 0.
   */
  readonly drift?: number;
  /** The most entries one append carries; default all that the follower lacks. */
  readonly batch?: number;
  /**
   * How many appends the leader keeps in flight to one follower before it waits for a reply; with more
   * than one they may arrive out of order. Default 1.
   */
  readonly pipeline?: number;
  /** Default on-conflict. */
  readonly truncate?: TruncatePolicy;
  /** Default own-epoch. */
  readonly commitRule?: CommitRule;
  /** Default abandon. */
  readonly pending?: PendingPolicy;
}

const MAX_NODES = 7;

export function majority(nodes: number): number {
  return Math.floor(nodes / 2) + 1;
}

/** How many followers must hold an entry before the leader acknowledges (commits) it. */
export function followerAcksNeeded(policy: Policy): number {
  const followers = policy.nodes - 1;
  switch (policy.replication.kind) {
    case 'async':
      return 0;
    case 'semi-sync':
      return Math.min(policy.replication.acks, followers);
    case 'quorum':
      return majority(policy.nodes) - 1;
    case 'all':
      return followers;
  }
}

/**
 * The lease a leader may trust on its own clock so that it ends before the followers' promise, however
 * the clocks drift within the bound: at most lease x (1 - drift) / (1 + drift), the largest whole number
 * not above it. Exact: with drift k/1024 it is lease x (1024 - k) / (1024 + k), a quotient of whole
 * numbers that is either whole (and so computed exactly) or at least 1/1536 from the next whole number,
 * far more than the division's rounding error.
 */
export function leaseFor(policy: Policy): number {
  if (policy.leaderLease !== undefined) return policy.leaderLease;
  const k = (policy.drift ?? 0) * 1024;
  return Math.floor((policy.lease * (1024 - k)) / (1024 + k));
}

export function electionTimeoutOf(policy: Policy, node: number): number {
  return policy.electionTimeout + node;
}

/** Throws a RangeError naming the first field out of range: a policy is written by a programmer. */
export function validatePolicy(policy: Policy): void {
  const counts: [string, number, number, number][] = [
    ['nodes', policy.nodes, 1, MAX_NODES],
    ['clients', policy.clients, 1, 64],
    ['keys', policy.keys, 1, 64],
    ['electionTimeout', policy.electionTimeout, 2, 1000],
    ['lease', policy.lease, 1, 100_000],
    ['leaderLease', policy.leaderLease ?? 1, 1, 100_000],
    ['batch', policy.batch ?? 1, 1, 100_000],
    ['pipeline', policy.pipeline ?? 1, 1, 64],
    ...(policy.sizes ?? []).map((size): [string, number, number, number] => ['sizes', size, 1, MAX_NODES]),
  ];
  for (const [name, value, min, max] of counts) {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`policy.${name} must be an integer in ${min}..${max}, got ${value}`);
    }
  }
  const drift = policy.drift ?? 0;
  if (!(drift >= 0 && drift < 0.5 && Number.isInteger(drift * 1024)))
    throw new RangeError(`policy.drift must be a multiple of 1/1024 in 0..1/2, got ${drift}`);
  if (policy.replication.kind === 'semi-sync') {
    const acks = policy.replication.acks;
    if (!Number.isInteger(acks) || acks < 0) throw new RangeError(`policy.replication.acks must be a whole number, got ${acks}`);
  }
}
