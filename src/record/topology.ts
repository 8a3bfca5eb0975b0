import type { NodeRole } from '../../history/event.ts';
import { ROLE_ANNOTATION } from '../../history/event.ts';
import type { EventLog } from './event-log.ts';

// What the harness believes about the cluster: which node is primary, under which epoch (the number of
// promotions it has seen), each node's role, and which primary each client writes to. Every change it
// makes or learns is written to the history as a role annotation, so a reader can see who led when.

export class Topology {
  #primary: string;
  #epoch = 1;
  readonly #roles = new Map<string, NodeRole>();
  /** The epoch each node was made leader under, while the harness believes it leads. */
  readonly #leaderEpochs = new Map<string, number>();
  readonly #clientPrimary: string[];

  constructor(
    readonly nodeIds: readonly string[],
    clients: number,
    private readonly log: EventLog,
  ) {
    this.#primary = nodeIds[0];
    this.#clientPrimary = Array.from({ length: clients }, () => nodeIds[0]);
    for (const id of nodeIds) this.setRole(id, id === this.#primary ? 'leader' : 'follower');
  }

  get primary(): string {
    return this.#primary;
  }

  get epoch(): number {
    return this.#epoch;
  }

  role(id: string): NodeRole | undefined {
    return this.#roles.get(id);
  }

  /** The epoch `id` acknowledges writes under, when the harness believes it leads. */
  leaderEpoch(id: string): number | undefined {
    return this.#leaderEpochs.get(id);
  }

  /** The nodes the harness does not believe to be the primary, in id order. */
  others(): string[] {
    return this.nodeIds.filter((id) => id !== this.#primary);
  }

  /** Where client `index` sends its writes. */
  primaryFor(index: number): string {
    return this.#clientPrimary[index % this.#clientPrimary.length];
  }

  /**
   * Makes `id` the primary under a new epoch (the next one, or the one a sentinel announced) and points
   * clients at it, all but the first `staleClients`.
   */
  promote(id: string, staleClients = 0, epoch = this.#epoch + 1): void {
    this.#epoch = epoch;
    this.#primary = id;
    this.#leaderEpochs.delete(id);
    this.setRole(id, 'leader');
    this.#clientPrimary.forEach((_, index) => {
      if (index >= staleClients) this.#clientPrimary[index] = id;
    });
  }

  pointEveryClientAtPrimary(): void {
    this.#clientPrimary.fill(this.#primary);
  }

  /**
   * Records a role the harness gave a node or learned it has. Annotates changes, and with `learned` also
   * a role confirmed by asking the node (an old primary found still leading after a pause).
   */
  setRole(id: string, role: NodeRole, learned = false): void {
    const leaderEpoch = role === 'leader' ? (this.#leaderEpochs.get(id) ?? this.#epoch) : undefined;
    if (!learned && this.#roles.get(id) === role && this.#leaderEpochs.get(id) === leaderEpoch) return;
    this.#roles.set(id, role);
    if (leaderEpoch === undefined) this.#leaderEpochs.delete(id);
    else this.#leaderEpochs.set(id, leaderEpoch);
    this.log.append({ type: 'info', process: 'cluster', f: ROLE_ANNOTATION, node: id, value: role, epoch: leaderEpoch ?? this.#epoch });
  }
}
