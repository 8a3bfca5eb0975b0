import type { Value } from '../../history/value.ts';
import type { Link } from './network-partition.ts';

// What the recorder core needs of a database: its nodes and the few things the nemesis does to them.
// The core decides when and to whom (the plan, the topology, the history); an adapter only knows how.

export interface ClusterNode {
  readonly id: string;
  readonly host: string;
  readonly port: number;
}

/** Where a node stands in replication, asked of the node itself. */
export interface NodePosition {
  readonly role: 'primary' | 'replica';
  /** How far it has received the primary's log; comparable across the nodes of one cluster. */
  readonly offset: number;
}

export interface Cluster {
  readonly nodes: readonly ClusterNode[];
  node(id: string): ClusterNode;
  isRunning(id: string): boolean;
  isPaused(id: string): boolean;
  /** SIGSTOP of every process of the node. */
  pause(id: string): void;
  resume(id: string): void;
  /** SIGKILL of every process of the node; resolves once it is gone. */
  kill(id: string): Promise<void>;
  /**
   * Starts a node that is down again, on its address and port: as the primary (`primary` null) or as a
   * replica of `primary`. Resolves with what the history should know of how it came back (`empty: true`
   * when it kept nothing).
   */
  restart(id: string, primary: string | null): Promise<{ readonly [field: string]: Value }>;
  /** Makes a replica a primary. */
  promote(id: string): Promise<void>;
  /** Makes `id` (a replica, or a primary that must step down) replicate from `primary`. */
  follow(id: string, primary: string): Promise<void>;
  /** The node's own view of its role and log position; undefined when it does not answer in time. */
  position(id: string, timeoutMs: number): Promise<NodePosition | undefined>;
  /** The connections to drop to cut `a` off from `b`, both ways. */
  links(a: string, b: string): Promise<readonly Link[]>;
  /** Waits until the running replicas have all of `primary`'s log; whether they did within the time. */
  settle(primary: string, timeoutMs: number): Promise<boolean>;
  /** Stops applying the log it receives (PostgreSQL's pg_wal_replay_pause); absent where unsupported. */
  pauseReplay?(id: string): Promise<void>;
  resumeReplay?(id: string): Promise<void>;
  /** PIDs of every server process started, running or not, and of the processes they forked that we saw. */
  everyPid(): number[];
  stop(): Promise<void>;
}

/** A failover decided outside the harness (Redis Sentinel): the harness asks for it and learns the result. */
export interface FailoverAuthority {
  /** The primary it names now, under its epoch; undefined when it cannot say. */
  view(): Promise<{ readonly primary: string; readonly epoch: number } | undefined>;
  failover(): Promise<void>;
  stop(): Promise<void>;
}
