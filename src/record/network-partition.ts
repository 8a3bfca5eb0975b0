import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { holdUntilExit } from './emergency-cleanup.ts';
import { isAlive } from './run-dir.ts';

// Partitions between servers on loopback addresses, as nftables rules in a table of our own. A DROP is
// silent, like a cable cut far away: the sender's TCP keeps retransmitting and learns nothing (a REJECT or
// a downed link would tell it at once, which is not a partition). Rules sit on the input hook of lo, so the
// sender's own writes succeed and the kernel buffers them. Each rule names both addresses and the
// server's port (and the client's port, where a database cannot choose the address it connects from), so
// only traffic between these two servers is cut: clients, other clusters on the same addresses, and the
// rest of 127.0.0.0/8 are untouched. Healing deletes the whole table.

const run = promisify(execFile);

export interface PartitionEndpoint {
  readonly host: string;
  readonly port: number;
}

/** A connection to cut: from `from` (any of its ports when `port` is absent) to the server `to`. */
export interface Link {
  readonly from: { readonly host: string; readonly port?: number };
  readonly to: PartitionEndpoint;
}

/** Every connection between two servers that each connect from their own address, both ways. */
export function linksBetween(a: PartitionEndpoint, b: PartitionEndpoint): Link[] {
  return [
    { from: { host: a.host }, to: b },
    { from: { host: b.host }, to: a },
  ];
}

export class NetworkPartitioner {
  readonly table = `leaderlog_${process.pid}_${randomBytes(3).toString('hex')}`;
  #created = false;
  #release: (() => void) | undefined;

  /** Whether some partition is in force. */
  get active(): boolean {
    return this.#created;
  }

  /** Drops every packet of each link, both ways. */
  async cut(links: readonly Link[]): Promise<void> {
    if (links.length === 0) return;
    const setup: string[] = [];
    if (!this.#created) {
      await sweepOrphanTables();
      this.#release ??= holdUntilExit({ now: () => this.healNow() });
      setup.push(
        `add table inet ${this.table}`,
        `add chain inet ${this.table} input { type filter hook input priority 0; policy accept; }`,
      );
    }
    const rules = links.flatMap(connectionRules);
    // One nft transaction: the table, its chain and every rule appear at once.
    await nft([...setup, ...rules.map((rule) => `add rule inet ${this.table} input ${rule}`)].join('\n'));
    this.#created = true;
  }

  /** Removes every partition this partitioner made. */
  async heal(): Promise<void> {
    if (this.#release === undefined) return;
    try {
      await nft(`delete table inet ${this.table}`);
    } catch (error) {
      // Interrupted while creating it, the table may never have come to be.
      if (this.#created) throw error;
    } finally {
      this.#forget();
    }
  }

  /** For exit paths that cannot wait. */
  healNow(): void {
    if (this.#release === undefined) return;
    try {
      execFileSync('nft', ['delete', 'table', 'inet', this.table], { stdio: 'ignore' });
    } catch (error) {
      if (this.#created) throw error;
    } finally {
      this.#forget();
    }
  }

  #forget(): void {
    this.#created = false;
    this.#release?.();
    this.#release = undefined;
  }
}

/** Rules dropping the link's packets, in both directions. */
function connectionRules({ from, to }: Link): string[] {
  const fromPort = (direction: 'sport' | 'dport') => (from.port === undefined ? '' : ` tcp ${direction} ${from.port}`);
  return [
    `iifname "lo" ip saddr ${from.host} ip daddr ${to.host}${fromPort('sport')} tcp dport ${to.port} drop`,
    `iifname "lo" ip saddr ${to.host} ip daddr ${from.host} tcp sport ${to.port}${fromPort('dport')} drop`,
  ];
}

const TABLE_NAME = /^table inet (leaderlog_(\d+)_[0-9a-f]+)$/;

/** Deletes partition tables left by leaderlog processes that died without healing (SIGKILL can't be caught). */
export async function sweepOrphanTables(): Promise<void> {
  const { stdout } = await run('nft', ['list', 'tables']);
  for (const line of stdout.split('\n')) {
    const match = TABLE_NAME.exec(line.trim());
    if (match && !isAlive(Number(match[2]))) await nft(`delete table inet ${match[1]}`).catch(() => {});
  }
}

async function nft(script: string): Promise<void> {
  const child = run('nft', ['-f', '-']);
  child.child.stdin?.end(script);
  await child;
}

/** Why partitions cannot be made here, or undefined when nft works (it needs root or CAP_NET_ADMIN). */
export async function nftUnavailableReason(): Promise<string | undefined> {
  try {
    await run('nft', ['list', 'tables']);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'nft (nftables) is not installed';
    return `nft does not work here (${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}); partitions need root`;
  }
}
