import type { Value } from '../../history/value.ts';
import type { OpF } from '../world/action.ts';
import type { Body, ClientRequest, Message, NodeContext, NodeView, System } from '../world/system.ts';
import type { Command, Entry, Log } from './log.ts';
import { appendEntry, epochAt, isUpToDate, lastEpoch, mergeEntries, NOOP, overwriteEntries, resumeHint } from './log.ts';
import { leaderFollowerMonitor } from './monitor.ts';
import type { Policy } from './policy.ts';
import { electionTimeoutOf, followerAcksNeeded, majority, validatePolicy } from './policy.ts';
import type { Preset } from './presets.ts';
import { committedInOwnEpoch, kthLargestOfPeers, leaseHolds } from './reads.ts';
import type { Store } from './store.ts';
import { applyCommand, emptyStore, replay } from './store.ts';

// The built-in leader/follower design as a System (world/system.ts): each node a state and handlers,
// talking to the others and to clients only through Maelstrom-shaped messages, run by the same world
// as any user's system. A policy (policy.ts) switches the design between correct and flawed: how many
// copies a write waits for, how a new leader comes to be, who answers reads, what a crash keeps.
// A handler changes the node it is given in place; logs, entries and stores are immutable values,
// shared between nodes and messages, so a monitor may keep them across steps.

export type Role = 'leader' | 'follower' | 'candidate';

/** What a leader knows of one follower's log (its own slot is unused). */
export interface Peer {
  /** The next entry to send. */
  next: number;
  /** The highest entry known to be on the follower. */
  match: number;
  /** The highest read round the follower acknowledged. */
  round: number;
  /** When the newest heartbeat the follower acknowledged was sent (-1: none). */
  sentAt: number;
  /** Appends to it awaiting their reply: no more than the pipeline allows until then, or until the next tick. */
  inFlight: number;
}

/** A client's request the node has taken on and not yet answered. */
interface Waiting {
  readonly request: Message;
  readonly f: OpF;
  readonly key: number;
  /** A write: the id of its entry. */
  readonly entry: number;
  /** A read-index read: the read round a majority must confirm before it is answered. */
  readonly round: number;
}

export interface LeaderFollowerNode {
  readonly index: number;
  role: Role;
  epoch: number;
  votedFor: number | null;
  /** Candidate: bit i set when node i granted its vote. */
  votes: number;
  /** The node this one believes leads, if any. */
  leader: number | null;
  log: Log;
  /** Entries 1..synced survive a crash. */
  synced: number;
  commit: number;
  applied: number;
  store: Store;
  /** Ticks since the leader was last heard from (follower) or the election began (candidate). */
  idle: number;
  /** Logical time this node last accepted its leader's heartbeat: under leases it votes for no one for a lease after. */
  heardAt: number;
  /** Its clock's reading at its last tick (what a leader checking leases at `last-tick` goes by). */
  tickedAt: number;
  /** Leader: the newest read round it started. */
  round: number;
  peers: Peer[];
  waiting: Waiting[];
  /** How many entries this node has made: entry ids are unique in a run. */
  made: number;
}

/** What survives a crash: the epoch, the vote, the synced log, and whether the node led. */
export interface LeaderFollowerDisk {
  readonly epoch: number;
  readonly votedFor: number | null;
  readonly log: Log;
  readonly led: boolean;
  readonly made: number;
}

type Node = LeaderFollowerNode;

// The messages between nodes: each carries its sender's epoch.

/** The entries a follower lacks after index `after` (empty: a heartbeat), with the leader's commit point. */
interface AppendBody extends Body {
  readonly type: 'append';
  readonly epoch: number;
  readonly after: number;
  readonly afterEpoch: number;
  /** Shared with the leader's log, never copied entry by entry. */
  readonly entries: Log;
  readonly commit: number;
  /** The leader's read round when it sent this: a reply confirms leadership for reads up to it. */
  readonly round: number;
  /** When it was sent: a reply extends the leader's lease from here. */
  readonly sentAt: number;
}

interface AppendReplyBody extends Body {
  readonly type: 'append-reply';
  readonly epoch: number;
  readonly ok: boolean;
  /** When ok, the last index the follower now shares with the leader; else where to resume. */
  readonly match: number;
  readonly round: number;
  readonly sentAt: number;
}

interface VoteBody extends Body {
  readonly type: 'vote';
  readonly epoch: number;
  readonly lastIndex: number;
  readonly lastEpoch: number;
}

interface VoteReplyBody extends Body {
  readonly type: 'vote-reply';
  readonly epoch: number;
  readonly ok: boolean;
}

/** Entry ids are a node's count of entries made times this, plus its index: unique in a run of up to 7 nodes. */
const ID_STRIDE = 8;
/** The no-op n1 leads epoch 1 with: every node starts holding it, applied. */
const FIRST: Entry = Object.freeze({ index: 1, epoch: 1, id: 0, command: NOOP });

/**
 * The design under `policy` as a system; a preset also brings its name, story and known anomalies. It
 * runs at each of the policy's sizes: a node's cluster is the one its context names.
 */
export function leaderFollower(policy: Policy | Preset): System<LeaderFollowerNode, LeaderFollowerDisk> {
  validatePolicy(policy);
  const preset = 'name' in policy ? (policy as Preset) : null;
  const designs = new Map<number, Design>([[policy.nodes, new Design(policy)]]);
  const sized = (nodes: number) => (nodes === policy.nodes ? policy : { ...policy, nodes });
  const designFor = (ctx: NodeContext): Design => {
    const nodes = ctx.nodeIds.length;
    const known = designs.get(nodes);
    if (known) return known;
    const design = new Design(sized(nodes));
    designs.set(nodes, design);
    return design;
  };
  return {
    name: preset?.name ?? 'leader-follower',
    nodes: policy.nodes,
    ...(policy.sizes && { sizes: policy.sizes }),
    clients: policy.clients,
    keys: policy.keys,
    patience: patienceOf(policy),
    ...(policy.reads === 'lease' && { settling: patienceOf(policy) + promiseOf(policy) }),
    ...(policy.drift && { drift: policy.drift }),
    ...(preset && { story: preset.story, knownFor: preset.expected }),
    init: (ctx) => designFor(ctx).init(ctx),
    receive: (node, message, ctx) => designFor(ctx).receive(node, message, ctx),
    tick: (node, ctx) => designFor(ctx).tick(node, ctx),
    durable: (node) => ({
      epoch: node.epoch,
      votedFor: node.votedFor,
      log: node.synced < node.log.length ? node.log.slice(0, node.synced) : node.log,
      led: node.role === 'leader',
      made: node.made,
    }),
    restart: (disk, ctx) => designFor(ctx).restart(disk, ctx),
    role: (node) => ({ role: node.role, epoch: node.epoch, log: node.log.length, commit: node.commit }),
    promote: (node, ctx) => designFor(ctx).promote(node, ctx),
    demote: (node, ctx) => designFor(ctx).demote(node, ctx),
    monitor: (start) => leaderFollowerMonitor(sized(start.length), start),
    settled: (nodes) => settled(nodes),
  };
}

/** The most ticks a follower waits before it stands: its election timeout, spread by node number at the largest size. */
function patienceOf(policy: Policy): number {
  return policy.electionTimeout + Math.max(policy.nodes, ...(policy.sizes ?? [])) - 1;
}

/** The steps a follower's lease promise may hold its vote back, on a clock that may run slow. */
function promiseOf(policy: Policy): number {
  return Math.ceil(policy.lease / (1 - (policy.drift ?? 0)));
}

function freshPeers(count: number, logLength: number): Peer[] {
  return Array.from({ length: count }, () => ({ next: logLength + 1, match: 0, round: 0, sentAt: -1, inFlight: 0 }));
}

function indexOf(id: string): number {
  return Number(id.slice(1)) - 1;
}

class Design {
  private readonly policy: Policy;
  private readonly needed: number;
  private readonly quorum: number;
  private readonly batch: number;
  private readonly pipeline: number;

  constructor(policy: Policy) {
    this.policy = policy;
    this.needed = followerAcksNeeded(policy);
    this.quorum = majority(policy.nodes);
    this.batch = policy.batch ?? Number.POSITIVE_INFINITY;
    this.pipeline = policy.pipeline ?? 1;
  }

  /** n1 leads epoch 1; every node holds and has applied its no-op, so the cluster starts settled. */
  init(ctx: NodeContext): Node {
    const index = indexOf(ctx.id);
    const n = this.policy.nodes;
    const peers = freshPeers(n, 1);
    if (index === 0) for (const p of peers) Object.assign(p, { match: 1, next: 2 });
    return {
      index,
      role: index === 0 ? 'leader' : 'follower',
      epoch: 1,
      votedFor: 0,
      votes: 0,
      leader: 0,
      log: [FIRST],
      synced: 1,
      commit: 1,
      applied: 1,
      store: emptyStore(this.policy.keys),
      idle: 0,
      heardAt: 0,
      tickedAt: 0,
      round: 0,
      peers,
      waiting: [],
      made: 0,
    };
  }

  /** A fenced node comes back as a follower; without fencing, a node that led resumes leading: nothing tells it otherwise. */
  restart(disk: LeaderFollowerDisk, ctx: NodeContext): Node {
    const { policy } = this;
    const node: Node = {
      index: indexOf(ctx.id),
      role: 'follower',
      epoch: disk.epoch,
      votedFor: policy.votes === 'forgotten' ? null : disk.votedFor,
      votes: 0,
      leader: null,
      log: disk.log,
      synced: disk.log.length,
      commit: 0,
      applied: 0,
      store: emptyStore(policy.keys),
      idle: 0,
      // Followers promise nothing while down; on restart they wait a full lease before helping elect anyone.
      heardAt: ctx.now,
      tickedAt: ctx.now,
      round: 0,
      peers: freshPeers(policy.nodes, disk.log.length),
      waiting: [],
      made: disk.made,
    };
    if (disk.led && policy.failover !== 'fenced') this.becomeLeader(node, disk.epoch, ctx);
    return node;
  }

  receive(node: Node, m: Message, ctx: NodeContext): void {
    // Clients (c1, c2, ...) speak lin-kv and list append, whose `append` is not the nodes' `append`.
    if (m.src.startsWith('c')) {
      this.serve(node, m, ctx);
      return;
    }
    switch (m.body.type) {
      case 'append':
        this.onAppend(node, m, ctx);
        return;
      case 'append-reply':
        this.onAppendReply(node, m, ctx);
        return;
      case 'vote':
        this.onVote(node, m, ctx);
        return;
      case 'vote-reply':
        this.onVoteReply(node, m, ctx);
        return;
    }
  }

  /**
   * One tick of a node's clock. Every node flushes its log to disk. A leader sends each follower a
   * heartbeat (with whatever that follower lacks). A follower or candidate counts towards its election
   * timeout; when it runs out, the failover policy decides: a fenced node stands for election, a naive
   * one promotes itself, and otherwise the node waits for an operator.
   */
  tick(node: Node, ctx: NodeContext): void {
    node.synced = node.log.length;
    node.tickedAt = ctx.now;
    if (node.role === 'leader') {
      for (const peer of node.peers) peer.inFlight = 0;
      this.broadcast(node, ctx);
      return;
    }
    const timeout = electionTimeoutOf(this.policy, node.index);
    node.idle = Math.min(node.idle + 1, timeout);
    if (node.idle < timeout) return;
    if (this.policy.failover === 'fenced' && !this.promiseHolds(node, ctx)) {
      this.startElection(node, ctx);
      return;
    }
    if (this.policy.failover === 'naive') {
      this.becomeLeader(node, node.epoch + 1, ctx);
      return;
    }
  }

  /** Operator failover: under fencing a request to stand for election now; otherwise the operator's word is the only authority. */
  promote(node: Node, ctx: NodeContext): void {
    const { failover } = this.policy;
    if (failover === 'none' || node.role === 'leader' || this.promiseHolds(node, ctx)) return;
    if (failover === 'fenced') this.startElection(node, ctx);
    else this.becomeLeader(node, node.epoch + 1, ctx);
  }

  demote(node: Node, ctx: NodeContext): void {
    if (this.policy.failover === 'none' || node.role !== 'leader') return;
    this.becomeFollower(node, node.epoch, null, ctx);
  }

  // ---- Clients ---------------------------------------------------------------------------------

  /** A client's request: a write is appended by the leader, a read answered under the read policy. */
  private serve(node: Node, m: Message, ctx: NodeContext): void {
    const request = m.body as ClientRequest & { readonly offloaded?: boolean };
    const f = request.type;
    const key = request.key;
    const { reads, nodes } = this.policy;
    if (f === 'read' && reads === 'follower') {
      // Offloaded: the leader hands a read to a follower, spread over the clients; a follower answers from its own store.
      if (node.role === 'leader' && nodes > 1 && request.offloaded !== true) {
        const to = (node.index + 1 + (indexOf(m.src) % (nodes - 1))) % nodes;
        ctx.forward({ src: m.src, dest: ctx.nodeIds[to]!, body: { ...request, offloaded: true } });
        return;
      }
      ctx.reply(m, { type: 'read_ok', value: node.store.values[key] ?? null });
      return;
    }
    if (node.role !== 'leader') {
      const hint = node.leader !== null && node.leader !== node.index ? { leader: ctx.nodeIds[node.leader]! } : {};
      ctx.reply(m, { type: 'error', code: 11, text: 'not leader', ...hint });
      return;
    }
    if (request.type !== 'read') {
      const value: Value = request.type === 'cas' ? [request.from, request.to] : request.value;
      this.leaderAppend(node, { kind: 'client', f: request.type, key, value, client: indexOf(m.src), seq: request.msg_id }, ctx, m);
      return;
    }
    if (reads === 'leader') {
      ctx.reply(m, { type: 'read_ok', value: node.store.values[key] ?? null });
      return;
    }
    if (reads === 'lease') {
      const now = this.policy.leaseClock === 'last-tick' ? node.tickedAt : ctx.now;
      if (!this.leaseHolds(node, now)) {
        ctx.reply(m, { type: 'error', code: 11, text: 'no lease', leader: ctx.id });
        return;
      }
      ctx.reply(m, { type: 'read_ok', value: node.store.values[key] ?? null });
      return;
    }
    if (reads === 'unconfirmed-index') {
      node.waiting.push({ request: m, f, key, entry: -1, round: 0 });
      this.answerReads(node, ctx);
      return;
    }
    // read-index: a new round that a majority must acknowledge before the leader answers.
    node.round++;
    node.waiting.push({ request: m, f, key, entry: -1, round: node.round });
    this.broadcast(node, ctx);
    this.answerReads(node, ctx);
  }

  /**
   * The node stopped leading: the clients waiting on it learn nothing more (a write may yet take
   * effect), except that under pending 'keep' it holds on to the writes, to acknowledge any whose
   * entry it commits when it leads again.
   */
  private abandon(node: Node, ctx: NodeContext): void {
    const kept: Waiting[] = [];
    for (const w of node.waiting) {
      if (this.policy.pending === 'keep' && w.f !== 'read') kept.push(w);
      else ctx.reply(w.request, { type: 'error', code: 13, text: 'stepped down' });
    }
    node.waiting = kept;
  }

  // ---- Replication ---------------------------------------------------------------------------------

  private leaderAppend(node: Node, command: Command, ctx: NodeContext, request?: Message): void {
    const id = ++node.made * ID_STRIDE + node.index;
    node.log = appendEntry(node.log, node.epoch, id, command);
    if (this.policy.restart === 'durable') node.synced = node.log.length;
    if (request && command.kind === 'client') node.waiting.push({ request, f: command.f, key: command.key, entry: id, round: 0 });
    this.broadcast(node, ctx);
    this.advanceCommit(node, ctx);
  }

  private broadcast(node: Node, ctx: NodeContext): void {
    for (let j = 0; j < this.policy.nodes; j++) if (j !== node.index) this.sendAppend(node, j, ctx);
  }

  /**
   * At most `pipeline` appends in flight per follower (one by default: a lagging or returning follower
   * is then backfilled reply by reply), each carrying at most `batch` entries. With a deeper pipeline
   * the leader goes on from where its last append ended without waiting for the reply, so appends to
   * one follower may overtake each other.
   */
  private sendAppend(node: Node, to: number, ctx: NodeContext): void {
    const peer = node.peers[to]!;
    if (peer.inFlight >= this.pipeline) return;
    peer.inFlight++;
    const after = Math.min(peer.next - 1, node.log.length);
    const append: AppendBody = {
      type: 'append',
      epoch: node.epoch,
      after,
      afterEpoch: epochAt(node.log, after),
      entries: node.log.slice(after, after + this.batch),
      commit: node.commit,
      round: node.round,
      sentAt: ctx.now,
    };
    if (this.pipeline > 1) peer.next = after + append.entries.length + 1;
    ctx.send(ctx.nodeIds[to]!, append);
  }

  /**
   * Commits the newest entry of the leader's own epoch that enough followers hold (an older epoch's
   * entries commit with it, never by counting: Raft's rule, which the no-op of a new leader serves).
   * Under the flawed any-epoch rule, the newest entry of any epoch that enough followers hold.
   */
  private advanceCommit(node: Node, ctx: NodeContext): void {
    if (node.role !== 'leader') return;
    let target = node.commit;
    const byCount = this.policy.commitRule === 'any-epoch';
    for (let index = node.log.length; index > node.commit && (byCount || node.log[index - 1]!.epoch === node.epoch); index--) {
      if (this.followersHolding(node, index) >= this.needed) {
        target = index;
        break;
      }
    }
    if (target === node.commit) return;
    node.commit = target;
    this.apply(node, ctx);
    this.answerReads(node, ctx);
  }

  private followersHolding(node: Node, index: number): number {
    let count = 0;
    for (let j = 0; j < node.peers.length; j++) if (j !== node.index && node.peers[j]!.match >= index) count++;
    return count;
  }

  /** Applies committed entries to the store; a leader answers the clients waiting on them. */
  private apply(node: Node, ctx: NodeContext): void {
    for (let i = node.applied + 1; i <= node.commit; i++) {
      const entry = node.log[i - 1]!;
      const result = applyCommand(node.store, entry.command);
      node.store = result.store;
      if (entry.command.kind !== 'client' || node.waiting.length === 0) continue;
      const at = node.waiting.findIndex((w) => w.entry === entry.id);
      if (at < 0) continue;
      const w = node.waiting[at]!;
      node.waiting.splice(at, 1);
      // A write kept past a step-down is acknowledged only by a leader; a follower forgets it (the client times out).
      if (node.role !== 'leader') continue;
      ctx.reply(w.request, result.done ? { type: `${w.f}_ok` } : { type: 'error', code: 22, text: 'cas mismatch' });
    }
    node.applied = Math.max(node.applied, node.commit);
  }

  private onAppend(node: Node, m: Message, ctx: NodeContext): void {
    const b = m.body as AppendBody;
    const from = indexOf(m.src);
    if (this.policy.failover === 'fenced') {
      if (b.epoch < node.epoch) {
        this.replyAppend(node, m, false, node.log.length, ctx);
        return;
      }
      if (b.epoch > node.epoch || node.role !== 'follower') this.becomeFollower(node, b.epoch, from, ctx);
    } else {
      // Without fencing a leader never doubts itself: it replicates from no one.
      if (node.role === 'leader') return;
      if (b.epoch !== node.epoch) this.becomeFollower(node, b.epoch, from, ctx);
    }
    node.leader = from;
    node.idle = 0;
    node.heardAt = ctx.now;
    if (b.after > node.log.length || epochAt(node.log, b.after) !== b.afterEpoch) {
      this.replyAppend(node, m, false, resumeHint(node.log, b.after), ctx);
      return;
    }
    const lastNew = b.after + b.entries.length;
    const { log, cutAt } = (this.policy.truncate === 'overwrite' ? overwriteEntries : mergeEntries)(node.log, b.after, b.entries);
    node.log = log;
    node.synced = this.policy.restart === 'durable' ? log.length : Math.min(node.synced, cutAt - 1);
    if (cutAt <= node.commit) {
      // Truncating below the commit point happens only in flawed designs: the node forgets those commits.
      node.commit = cutAt - 1;
      node.applied = node.commit;
      node.store = replay(this.policy.keys, log, node.commit);
    }
    node.commit = Math.max(node.commit, Math.min(b.commit, lastNew));
    this.apply(node, ctx);
    this.replyAppend(node, m, true, lastNew, ctx);
  }

  private replyAppend(node: Node, m: Message, ok: boolean, match: number, ctx: NodeContext): void {
    const { round, sentAt } = m.body as AppendBody;
    const reply: AppendReplyBody = { type: 'append-reply', epoch: node.epoch, ok, match, round, sentAt };
    ctx.send(m.src, reply);
  }

  private onAppendReply(node: Node, m: Message, ctx: NodeContext): void {
    const b = m.body as AppendReplyBody;
    if (this.policy.failover === 'fenced' && b.epoch > node.epoch) {
      this.becomeFollower(node, b.epoch, null, ctx);
      return;
    }
    // A reply to an earlier term of office says nothing about this one.
    if (node.role !== 'leader' || b.epoch !== node.epoch) return;
    const from = indexOf(m.src);
    const peer = node.peers[from]!;
    peer.inFlight = Math.max(0, peer.inFlight - 1);
    peer.round = Math.max(peer.round, b.round);
    peer.sentAt = Math.max(peer.sentAt, this.policy.leaseFrom === 'reply' ? ctx.now : b.sentAt);
    if (b.ok) {
      peer.next = Math.max(peer.next, b.match + 1);
      peer.match = Math.max(peer.match, b.match);
      this.advanceCommit(node, ctx);
    } else {
      peer.next = Math.max(1, Math.min(peer.next - 1, b.match + 1));
    }
    this.answerReads(node, ctx);
    if (node.role === 'leader' && (peer.next <= node.log.length || peer.round < node.round)) this.sendAppend(node, from, ctx);
  }

  // ---- Reads ---------------------------------------------------------------------------------

  /**
   * Answers the read-index reads whose round a majority has confirmed (unconfirmed: every one), once
   * the leader committed in its own epoch.
   */
  private answerReads(node: Node, ctx: NodeContext): void {
    const { reads } = this.policy;
    if (reads !== 'read-index' && reads !== 'unconfirmed-index') return;
    if (node.role !== 'leader' || !committedInOwnEpoch(node) || node.waiting.length === 0) return;
    const confirmed =
      reads === 'unconfirmed-index' ? Number.POSITIVE_INFINITY : kthLargestOfPeers(node, this.quorum - 1, (p) => p.round, node.round);
    node.waiting = node.waiting.filter((w) => {
      if (w.f !== 'read' || w.round > confirmed) return true;
      ctx.reply(w.request, { type: 'read_ok', value: node.store.values[w.key] ?? null });
      return false;
    });
  }

  private leaseHolds(node: Node, now: number): boolean {
    return leaseHolds(this.policy, node, now);
  }

  /** A node that acknowledged a leader within the last lease promised not to help elect another. */
  private promiseHolds(node: Node, ctx: NodeContext): boolean {
    return this.policy.reads === 'lease' && ctx.now < node.heardAt + this.policy.lease;
  }

  // ---- Roles and elections ---------------------------------------------------------------------------

  /** Follows at `epoch` (its own or a newer one), believing `leader` leads; a newer epoch clears the vote. */
  private becomeFollower(node: Node, epoch: number, leader: number | null, ctx: NodeContext): void {
    if (node.role === 'leader') this.abandon(node, ctx);
    if (node.role !== 'follower') node.idle = 0;
    if (epoch > node.epoch) node.votedFor = null;
    node.role = 'follower';
    node.epoch = epoch;
    node.votes = 0;
    node.leader = leader;
  }

  /** Leads `epoch` from now on; like Raft it appends a no-op at once, to learn what its predecessors committed. */
  private becomeLeader(node: Node, epoch: number, ctx: NodeContext): void {
    node.role = 'leader';
    node.epoch = epoch;
    node.votes = 0;
    node.leader = node.index;
    node.idle = 0;
    node.peers = freshPeers(this.policy.nodes, node.log.length);
    this.leaderAppend(node, NOOP, ctx);
  }

  private startElection(node: Node, ctx: NodeContext): void {
    if (node.role === 'leader') this.abandon(node, ctx);
    node.role = 'candidate';
    node.epoch++;
    node.votedFor = node.index;
    node.votes = 1 << node.index;
    node.leader = null;
    node.idle = 0;
    if (this.quorum === 1) {
      this.becomeLeader(node, node.epoch, ctx);
      return;
    }
    for (let j = 0; j < this.policy.nodes; j++) {
      if (j !== node.index)
        ctx.send(ctx.nodeIds[j]!, { type: 'vote', epoch: node.epoch, lastIndex: node.log.length, lastEpoch: lastEpoch(node.log) });
    }
  }

  private onVote(node: Node, m: Message, ctx: NodeContext): void {
    // Only fenced designs hold elections; and a node under a lease promise ignores candidates entirely.
    if (this.policy.failover !== 'fenced' || this.promiseHolds(node, ctx)) return;
    const b = m.body as VoteBody;
    const from = indexOf(m.src);
    if (b.epoch > node.epoch) this.becomeFollower(node, b.epoch, null, ctx);
    const ok =
      b.epoch === node.epoch && (node.votedFor === null || node.votedFor === from) && isUpToDate(b.lastIndex, b.lastEpoch, node.log);
    if (ok) {
      node.votedFor = from;
      node.idle = 0;
    }
    ctx.send(m.src, { type: 'vote-reply', epoch: node.epoch, ok });
  }

  private onVoteReply(node: Node, m: Message, ctx: NodeContext): void {
    const b = m.body as VoteReplyBody;
    if (b.epoch > node.epoch) {
      this.becomeFollower(node, b.epoch, null, ctx);
      return;
    }
    if (node.role !== 'candidate' || b.epoch !== node.epoch || !b.ok) return;
    node.votes |= 1 << indexOf(m.src);
    if (countBits(node.votes) >= this.quorum) this.becomeLeader(node, node.epoch, ctx);
  }
}

function countBits(mask: number): number {
  let count = 0;
  for (let m = mask; m !== 0; m &= m - 1) count++;
  return count;
}

/** The one up leader's index, or -1 when there is none or several. */
function soleLeader(nodes: readonly NodeView<Node>[]): number {
  let found = -1;
  for (let i = 0; i < nodes.length; i++) {
    if (!nodes[i]!.up || nodes[i]!.state.role !== 'leader') continue;
    if (found >= 0) return -1;
    found = i;
  }
  return found;
}

/**
 * Settled: every node up; exactly one leader, which has committed its whole log in its own epoch;
 * every other node a follower of that leader in that epoch (no candidate, no node at a newer epoch
 * that would depose it), holding its log and knowing it committed. (The world adds: nothing in flight.)
 */
function settled(nodes: readonly NodeView<Node>[]): boolean {
  const index = soleLeader(nodes);
  if (index < 0) return false;
  const leader = nodes[index]!.state;
  if (!committedInOwnEpoch(leader) || leader.commit !== leader.log.length) return false;
  const last = leader.log[leader.log.length - 1]!;
  return nodes.every(
    ({ up, state: n }, i) =>
      up &&
      n.epoch === leader.epoch &&
      (i === index || (n.role === 'follower' && n.leader === index)) &&
      n.log.length === leader.log.length &&
      n.log[n.log.length - 1]!.id === last.id &&
      n.commit === leader.commit,
  );
}
