// A correct replicated key-value store, written straight against leaderlog's System interface: a Raft
// in miniature. A write is answered once a majority holds it (quorum replication); a node wins an
// election only with a majority of votes, and a node votes only for a log at least as up to date as
// its own; reads go through the log too, so a leader answers one only after a majority has confirmed
// that it still leads. Its nodes keep term, vote and log on disk. A client may send a request again
// (to another node, when the first did not answer): each client's newest request is remembered with
// its answer as it is applied, so a request in the log twice takes effect once (Raft's client sessions).
import type { Message, NodeContext, NodeView, Value } from '../../src/index.ts';
import { defineSystem } from '../../src/index.ts';

interface Entry {
  readonly term: number;
  readonly op: 'noop' | 'read' | 'write' | 'cas' | 'append';
  readonly key: number;
  readonly value?: number;
  readonly from?: Value;
  /** The leader that took the request, the client and its msg_id: who answers, once it is applied. */
  readonly origin?: { readonly node: string; readonly client: string; readonly msgId: number };
}

interface Disk {
  readonly term: number;
  readonly votedFor: string | null;
  readonly log: readonly Entry[];
}

interface QuorumNode extends Disk {
  role: 'leader' | 'follower' | 'candidate';
  term: number;
  votedFor: string | null;
  log: Entry[];
  leader: string | null;
  commit: number;
  applied: number;
  data: Map<number, Value>;
  /** By client: its newest request applied, and the answer it got. */
  sessions: Map<string, { readonly msgId: number; readonly answer: Record<string, unknown> & { type: string } }>;
  votes: Set<string>;
  next: Map<string, number>;
  match: Map<string, number>;
  idle: number;
}

const majority = (ctx: NodeContext) => Math.floor(ctx.nodeIds.length / 2) + 1;
const lastTerm = (node: QuorumNode) => node.log.at(-1)?.term ?? 0;
const timeoutOf = (id: string) => 2 + Number(id.slice(1));

function boot(disk: Disk, ctx: NodeContext): QuorumNode {
  const node: QuorumNode = {
    ...disk,
    log: [...disk.log],
    role: 'follower',
    leader: null,
    commit: 0,
    applied: 0,
    data: new Map(),
    sessions: new Map(),
    votes: new Set(),
    next: new Map(),
    match: new Map(),
    idle: 0,
  };
  if (disk.term > 0) return node;
  // First boot: n1 leads term 1 and every node holds (and has committed) its no-op.
  Object.assign(node, {
    term: 1,
    votedFor: ctx.nodeIds[0],
    leader: ctx.nodeIds[0],
    log: [{ term: 1, op: 'noop', key: 0 }],
    commit: 1,
    applied: 1,
  });
  if (ctx.id === ctx.nodeIds[0]) {
    node.role = 'leader';
    for (const peer of ctx.nodeIds) {
      node.next.set(peer, 2);
      node.match.set(peer, 1);
    }
  }
  return node;
}

function becomeLeader(node: QuorumNode, ctx: NodeContext): void {
  Object.assign(node, { role: 'leader', leader: ctx.id, idle: 0 });
  node.log.push({ term: node.term, op: 'noop', key: 0 });
  for (const peer of ctx.nodeIds) {
    node.next.set(peer, node.log.length);
    node.match.set(peer, peer === ctx.id ? node.log.length : 0);
  }
  broadcast(node, ctx);
}

function stepDown(node: QuorumNode, term: number): void {
  if (term > node.term) Object.assign(node, { term, votedFor: null });
  Object.assign(node, { role: 'follower', votes: new Set() });
}

function broadcast(node: QuorumNode, ctx: NodeContext): void {
  for (const peer of ctx.nodeIds) if (peer !== ctx.id) sendAppend(node, peer, ctx);
}

function sendAppend(node: QuorumNode, peer: string, ctx: NodeContext): void {
  const prevIndex = (node.next.get(peer) ?? 1) - 1;
  const prevTerm = node.log[prevIndex - 1]?.term ?? 0;
  ctx.send(peer, { type: 'append_entries', term: node.term, prevIndex, prevTerm, entries: node.log.slice(prevIndex), commit: node.commit });
}

function onAppend(node: QuorumNode, m: Message, ctx: NodeContext): void {
  const { term, prevIndex, prevTerm, entries, commit } = m.body as unknown as {
    term: number;
    prevIndex: number;
    prevTerm: number;
    entries: Entry[];
    commit: number;
  };
  if (term < node.term) {
    ctx.send(m.src, { type: 'append_entries_ok', term: node.term, success: false, match: 0 });
    return;
  }
  stepDown(node, term);
  Object.assign(node, { leader: m.src, idle: 0 });
  if (prevIndex > node.log.length || (node.log[prevIndex - 1]?.term ?? 0) !== prevTerm) {
    ctx.send(m.src, { type: 'append_entries_ok', term: node.term, success: false, match: Math.min(prevIndex - 1, node.log.length) });
    return;
  }
  entries.forEach((entry, i) => {
    const index = prevIndex + i;
    if (node.log[index] !== undefined && node.log[index].term !== entry.term) node.log.length = index;
    if (node.log[index] === undefined) node.log.push(entry);
  });
  node.commit = Math.max(node.commit, Math.min(commit, prevIndex + entries.length));
  apply(node, ctx);
  ctx.send(m.src, { type: 'append_entries_ok', term: node.term, success: true, match: prevIndex + entries.length });
}

function onAppendOk(node: QuorumNode, m: Message, ctx: NodeContext): void {
  const { term, success, match } = m.body as unknown as { term: number; success: boolean; match: number };
  if (term > node.term) {
    stepDown(node, term);
    return;
  }
  if (node.role !== 'leader' || term !== node.term) return;
  if (!success) {
    node.next.set(m.src, Math.max(1, match + 1));
    sendAppend(node, m.src, ctx);
    return;
  }
  node.match.set(m.src, Math.max(node.match.get(m.src) ?? 0, match));
  node.next.set(m.src, (node.match.get(m.src) ?? 0) + 1);
  // Commit only entries of its own term by counting (older ones commit with them).
  for (let n = node.log.length; n > node.commit && node.log[n - 1]!.term === node.term; n--) {
    if ([...node.match.values()].filter((i) => i >= n).length >= majority(ctx)) {
      node.commit = n;
      break;
    }
  }
  apply(node, ctx);
}

function apply(node: QuorumNode, ctx: NodeContext): void {
  while (node.applied < node.commit) {
    const entry = node.log[node.applied++]!;
    const origin = entry.origin;
    const session = origin && node.sessions.get(origin.client);
    // A request applied already (a retry) changes nothing again: the client's newest answers as before,
    // an older one is not answered at all (its client has moved on) and leaves the session as it is.
    const repeated = entry.op !== 'read' && session && origin.msgId <= session.msgId ? session : null;
    if (repeated && origin && origin.msgId < repeated.msgId) continue;
    const answer = repeated ? repeated.answer : perform(node, entry);
    if (origin && entry.op !== 'read' && !repeated) node.sessions.set(origin.client, { msgId: origin.msgId, answer });
    // Only the leader that took the request answers, and only while it still leads that term.
    if (origin && origin.node === ctx.id && node.role === 'leader' && entry.term === node.term) {
      ctx.send(origin.client, { ...answer, in_reply_to: origin.msgId });
    }
  }
}

/** Applies one entry to the data; what its client is answered. */
function perform(node: QuorumNode, entry: Entry): Record<string, unknown> & { type: string } {
  const current = node.data.get(entry.key) ?? null;
  if (entry.op === 'read') return { type: 'read_ok', value: current };
  if (entry.op === 'cas' && current !== entry.from) return { type: 'error', code: 22, text: 'precondition failed' };
  if (entry.op === 'write' || entry.op === 'cas') node.data.set(entry.key, entry.value!);
  if (entry.op === 'append') node.data.set(entry.key, [...(Array.isArray(current) ? current : []), entry.value!]);
  return { type: `${entry.op}_ok` };
}

function onClient(node: QuorumNode, m: Message, ctx: NodeContext): void {
  if (node.role !== 'leader') {
    ctx.reply(m, { type: 'error', code: 11, text: 'not the leader', ...(node.leader && { leader: node.leader }) });
    return;
  }
  const body = m.body as unknown as { type: Entry['op']; key: number; value?: number; from?: Value; to?: number; msg_id: number };
  const value = body.type === 'cas' ? body.to : body.value;
  node.log.push({
    term: node.term,
    op: body.type,
    key: body.key,
    ...(value !== undefined && { value }),
    ...(body.type === 'cas' && { from: body.from ?? null }),
    origin: { node: ctx.id, client: m.src, msgId: body.msg_id },
  });
  node.match.set(ctx.id, node.log.length);
  broadcast(node, ctx);
}

function onVote(node: QuorumNode, m: Message, ctx: NodeContext): void {
  const { term, lastIndex, lastTerm: theirs } = m.body as unknown as { term: number; lastIndex: number; lastTerm: number };
  if (term > node.term) stepDown(node, term);
  const upToDate = theirs > lastTerm(node) || (theirs === lastTerm(node) && lastIndex >= node.log.length);
  const granted = term === node.term && (node.votedFor === null || node.votedFor === m.src) && upToDate;
  if (granted) Object.assign(node, { votedFor: m.src, idle: 0 });
  ctx.send(m.src, { type: 'vote', term: node.term, granted });
}

function onVoteOk(node: QuorumNode, m: Message, ctx: NodeContext): void {
  const { term, granted } = m.body as unknown as { term: number; granted: boolean };
  if (term > node.term) {
    stepDown(node, term);
    return;
  }
  if (node.role !== 'candidate' || term !== node.term || !granted) return;
  node.votes.add(m.src);
  if (node.votes.size >= majority(ctx)) becomeLeader(node, ctx);
}

export const quorumKv = defineSystem<QuorumNode, Disk>({
  name: 'quorum-kv',
  story: 'Quorum replication, elections only an up-to-date node can win, reads through the log.',
  nodes: 3,
  patience: 6,
  init: (ctx) => boot({ term: 0, votedFor: null, log: [] }, ctx),
  restart: (disk, ctx) => boot(disk, ctx),
  durable: (node) => ({ term: node.term, votedFor: node.votedFor, log: [...node.log] }),
  tick(node, ctx) {
    if (node.role === 'leader') return broadcast(node, ctx);
    if (++node.idle < timeoutOf(ctx.id)) return;
    Object.assign(node, { role: 'candidate', term: node.term + 1, votedFor: ctx.id, votes: new Set([ctx.id]), leader: null, idle: 0 });
    for (const peer of ctx.nodeIds) {
      if (peer !== ctx.id) ctx.send(peer, { type: 'request_vote', term: node.term, lastIndex: node.log.length, lastTerm: lastTerm(node) });
    }
  },
  receive(node, m, ctx) {
    const handlers: Record<string, (node: QuorumNode, m: Message, ctx: NodeContext) => void> = {
      // Not `append`: that is the clients' list append.
      append_entries: onAppend,
      append_entries_ok: onAppendOk,
      request_vote: onVote,
      vote: onVoteOk,
    };
    (handlers[m.body.type] ?? onClient)(node, m, ctx);
  },
  role: (node) => ({ role: node.role, epoch: node.term }),
  invariants: (nodes) => [...oneLeaderPerTerm(nodes), ...committedPrefixesAgree(nodes)],
  settled(nodes) {
    const leader = nodes.find((n) => n.up && n.state.role === 'leader');
    if (!leader || leader.state.log.at(-1)?.term !== leader.state.term) return false;
    const log = JSON.stringify(leader.state.log);
    return nodes.every((n) => n.up && n.state.commit === leader.state.log.length && JSON.stringify(n.state.log) === log);
  },
});

function oneLeaderPerTerm(nodes: readonly NodeView<QuorumNode>[]): string[] {
  const leaders = nodes.filter((n) => n.up && n.state.role === 'leader');
  return leaders.flatMap((a, i) =>
    leaders
      .slice(i + 1)
      .filter((b) => a.state.term === b.state.term)
      .map((b) => `${a.id} and ${b.id} both lead term ${a.state.term}`),
  );
}

function committedPrefixesAgree(nodes: readonly NodeView<QuorumNode>[]): string[] {
  return nodes.flatMap((a, i) =>
    nodes.slice(i + 1).flatMap((b) => {
      const upTo = Math.min(a.state.commit, b.state.commit);
      const same = JSON.stringify(a.state.log.slice(0, upTo)) === JSON.stringify(b.state.log.slice(0, upTo));
      return same ? [] : [`${a.id} and ${b.id} committed different entries among the first ${upTo}`];
    }),
  );
}
