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
 * - lease: the leader, while a majority's acknowledgement of its heartbeats keeps others from voting.
 */
export type ReadPolicy = 'leader' | 'follower' | 'read-index' | 'lease';

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

export interface Policy {
  readonly replication: Replication;
  readonly failover: Failover;
  readonly reads: ReadPolicy;
  readonly restart: RestartPolicy;
  /** Default durable. */
  readonly votes?: VotePolicy;
  /** Cluster size; node i is named `n${i + 1}`. */
  readonly nodes: number;
  readonly clients: number;
  /** Keys 0..keys-1, each starting as nil. */
  readonly keys: number;
  /** Ticks without a heartbeat before node i gives up on its leader: electionTimeout + i. */
  readonly electionTimeout: number;
  /** Logical time (steps) a lease lasts, counted from the heartbeat a majority acknowledged. */
  readonly lease: number;
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
  ];
  for (const [name, value, min, max] of counts) {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(`policy.${name} must be an integer in ${min}..${max}, got ${value}`);
    }
  }
  if (policy.replication.kind === 'semi-sync') {
    const acks = policy.replication.acks;
    if (!Number.isInteger(acks) || acks < 0) throw new RangeError(`policy.replication.acks must be a whole number, got ${acks}`);
  }
}
