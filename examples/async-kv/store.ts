// A small replicated key-value store, as a team might first write one: the leader applies a write,
// answers the client at once and ships the write to its followers in the background (asynchronous
// replication); a follower that stops hearing from its leader promotes itself (no votes). It speaks
// Maelstrom's lin-kv protocol (read, write, cas) plus list append. It knows nothing of leaderlog.
//
// Its flaws are the classic ones: a leader that dies before shipping a write loses it; a leader cut
// off from the others keeps leading while a follower promotes itself (two leaders); and the deposed
// leader goes on answering reads with old values (stale reads).

export type Value = number | number[] | null;

export interface Write {
  readonly term: number;
  readonly key: number;
  readonly op: 'set' | 'append';
  readonly value: number;
}

/** What the store keeps on disk. */
export interface Disk {
  readonly term: number;
  readonly log: readonly Write[];
}

export interface Envelope {
  readonly src: string;
  readonly dest: string;
  readonly body: { readonly type: string; readonly msg_id?: number; readonly [field: string]: unknown };
}

/** How the store talks to the outside world. */
export interface Network {
  send(dest: string, body: Envelope['body']): void;
}

const HEARTBEAT_EVERY = 1;

export class KvNode {
  role: 'leader' | 'follower';
  term: number;
  leader: string | null;
  log: Write[];
  data = new Map<number, Value>();
  private silentTicks = 0;
  private ticks = 0;

  constructor(
    readonly id: string,
    readonly peers: readonly string[],
    disk: Disk | null,
    private readonly timeout: number,
  ) {
    // The first node starts as the leader; a node back from a crash is a follower until told otherwise.
    this.role = disk === null && id === peers[0] ? 'leader' : 'follower';
    this.term = disk?.term ?? 1;
    this.leader = disk === null ? peers[0]! : null;
    this.log = [...(disk?.log ?? [])];
    for (const write of this.log) this.apply(write);
  }

  disk(): Disk {
    return { term: this.term, log: [...this.log] };
  }

  handle(message: Envelope, net: Network): void {
    const { body } = message;
    switch (body.type) {
      case 'read':
      case 'write':
      case 'cas':
      case 'append':
        this.client(message, net);
        return;
      case 'replicate':
        this.onReplicate(message, net);
        return;
      case 'replicate_ok':
        return;
      default:
        net.send(message.src, { type: 'error', in_reply_to: body.msg_id, code: 10, text: `unknown type ${body.type}` });
    }
  }

  tick(net: Network): void {
    this.ticks++;
    if (this.role === 'leader') {
      if (this.ticks % HEARTBEAT_EVERY === 0) this.broadcast(net);
      return;
    }
    this.silentTicks++;
    if (this.silentTicks >= this.timeout) {
      // Nobody has heard from the leader for a while: take over.
      this.role = 'leader';
      this.term++;
      this.leader = this.id;
      this.silentTicks = 0;
      this.broadcast(net);
    }
  }

  private client(message: Envelope, net: Network): void {
    const { body } = message;
    const reply = (answer: Envelope['body']) => net.send(message.src, { ...answer, in_reply_to: body.msg_id });
    if (this.role !== 'leader') {
      reply({ type: 'error', code: 11, text: 'not the leader', ...(this.leader !== null && { leader: this.leader }) });
      return;
    }
    const key = body.key as number;
    const current = this.data.get(key) ?? null;
    switch (body.type) {
      case 'read':
        reply({ type: 'read_ok', value: current });
        return;
      case 'cas':
        if (current !== body.from) {
          reply({ type: 'error', code: 22, text: `expected ${String(body.from)}, found ${String(current)}` });
          return;
        }
        this.write({ term: this.term, key, op: 'set', value: body.to as number });
        reply({ type: 'cas_ok' });
        return;
      case 'write':
        this.write({ term: this.term, key, op: 'set', value: body.value as number });
        reply({ type: 'write_ok' });
        return;
      default:
        this.write({ term: this.term, key, op: 'append', value: body.value as number });
        reply({ type: 'append_ok' });
        return;
    }
  }

  /** Applied and acknowledged at once; the followers get it with the next broadcast. */
  private write(write: Write): void {
    this.log.push(write);
    this.apply(write);
  }

  private broadcast(net: Network): void {
    for (const peer of this.peers) {
      if (peer !== this.id) net.send(peer, { type: 'replicate', term: this.term, log: this.log });
    }
  }

  private onReplicate(message: Envelope, net: Network): void {
    const term = message.body.term as number;
    const log = message.body.log as readonly Write[];
    if (term < this.term) return;
    // Whoever speaks with the newest term is the leader; its log is the truth.
    this.term = term;
    this.role = message.src === this.id ? this.role : 'follower';
    this.leader = message.src;
    this.silentTicks = 0;
    this.log = [...log];
    this.data.clear();
    for (const write of this.log) this.apply(write);
    net.send(message.src, { type: 'replicate_ok', term: this.term, length: this.log.length });
  }

  private apply(write: Write): void {
    if (write.op === 'set') {
      this.data.set(write.key, write.value);
      return;
    }
    const list = this.data.get(write.key);
    this.data.set(write.key, [...(Array.isArray(list) ? list : []), write.value]);
  }
}
