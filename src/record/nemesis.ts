import type { Value } from '../../history/value.ts';
import type { Cluster, FailoverAuthority, NodePosition } from './cluster.ts';
import type { EventLog } from './event-log.ts';
import type { FaultAction, FaultPlan, FaultStep, PerformedStep, Target } from './fault-plan.ts';
import type { NetworkPartitioner } from './network-partition.ts';
import { sleep } from './timeouts.ts';
import type { Topology } from './topology.ts';

// Carries out a fault plan on the real cluster, whatever the database, and writes each fault into the
// history as a nemesis event once it has taken effect. Roles it changes or learns go through the
// topology, which annotates them. With a failover authority (Redis Sentinel), failing over is the
// authority's decision: the nemesis asks for it and learns the outcome.

const AUTHORITY_FAILOVER_WAIT_MS = 5000;
const POSITION_TIMEOUT_MS = 500;
/** How long a failover waits for a running replica to tell its log position (a busy machine is slow to connect). */
const FAILOVER_POSITION_WAIT_MS = 3000;
const POSITION_RETRY_MS = 50;

export class Nemesis {
  /** Old primaries to turn into replicas as soon as they can be reached (paused during a failover). */
  readonly #toDemote = new Set<string>();
  readonly #replayPaused = new Set<string>();
  readonly #performed: PerformedStep[] = [];
  #pending: FaultStep[] = [];
  #lateMs = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly partitioner: NetworkPartitioner,
    private readonly topology: Topology,
    private readonly log: EventLog,
    private readonly authority?: FailoverAuthority,
  ) {}

  /**
   * Runs each step in order at its planned time after `startMs` (on the log's clock). A step that takes
   * effect late (a busy machine, a slow nft) makes the plan late: later steps keep their planned distance
   * from it, so a fault always lasts as long as planned.
   */
  async run(plan: FaultPlan, startMs: number): Promise<void> {
    this.#pending = [...plan];
    const now = () => this.log.clock.now() / 1e6;
    for (const step of plan) {
      // Timers run on the event loop's millisecond clock and can fire a little before the op clock
      // says the time has come: wait again until it does.
      for (let wait = startMs + step.atMs + this.#lateMs - now(); wait > 0; wait = startMs + step.atMs + this.#lateMs - now()) {
        await sleep(wait);
      }
      let error: string | undefined;
      try {
        await this.perform(step);
      } catch (failure) {
        // A fault that could not be carried out is part of the story, not the end of the run.
        error = failure instanceof Error ? failure.message : String(failure);
        this.#record(step.action, null, { error });
      }
      const atMs = now() - startMs;
      this.#performed.push({ step, atMs, ...(error !== undefined && { error }) });
      this.#lateMs = Math.max(this.#lateMs, atMs - step.atMs);
      this.#pending.shift();
    }
  }

  /** How late the plan runs, in ms. */
  get lateMs(): number {
    return this.#lateMs;
  }

  /** The steps carried out so far, with the times they took effect. */
  get performed(): readonly PerformedStep[] {
    return this.#performed;
  }

  /** Whether every step planned before `atMs` has been carried out. */
  doneBefore(atMs: number): boolean {
    return this.#pending.every((step) => step.atMs >= atMs);
  }

  async perform(step: FaultAction): Promise<void> {
    switch (step.action) {
      case 'pause':
        for (const id of this.#resolve(step.target).filter((node) => this.#reachable(node))) {
          this.cluster.pause(id);
          this.#record('pause', id);
        }
        return;
      case 'resume':
        return this.#resume();
      case 'kill':
        for (const id of this.#resolve(step.target).filter((node) => this.cluster.isRunning(node))) {
          await this.cluster.kill(id);
          this.#replayPaused.delete(id);
          this.#record('kill', id);
          this.topology.setRole(id, 'down');
        }
        return;
      case 'restart':
        return this.#restart();
      case 'failover':
        return this.#failover(step.staleClients ?? 0);
      case 'demote':
        return this.#demoteOtherPrimaries();
      case 'partition':
        return this.#partition(step.a, step.b);
      case 'heal':
        await this.partitioner.heal();
        this.#record('heal', null);
        return;
      case 'pause-replay':
        return this.#pauseReplay(step.target);
      case 'resume-replay':
        return this.#resumeReplay();
    }
  }

  /** Ends every fault still in force: resume, heal, restart, replay, and one primary again. */
  async healAll(): Promise<void> {
    const ids = this.topology.nodeIds;
    if (this.authority) await this.followAuthority(this.authority);
    if (ids.some((id) => this.cluster.isPaused(id))) await this.#resume();
    if (this.partitioner.active) {
      await this.partitioner.heal();
      this.#record('heal', null);
    }
    if (ids.some((id) => !this.cluster.isRunning(id))) await this.#restart();
    if (this.#replayPaused.size > 0) await this.#resumeReplay();
    await this.#demoteOtherPrimaries();
  }

  async #resume(): Promise<void> {
    for (const id of this.topology.nodeIds.filter((node) => this.cluster.isPaused(node))) {
      this.cluster.resume(id);
      this.#record('resume', id);
      if (this.#toDemote.delete(id)) {
        await this.#follow(id);
        continue;
      }
      const position = await this.cluster.position(id, 1000);
      // A resumed old primary that nobody demoted still believes it leads: say so in the history.
      if (position?.role === 'primary') this.topology.setRole(id, 'leader', true);
      else if (position?.role === 'replica') this.topology.setRole(id, 'follower');
    }
  }

  async #restart(): Promise<void> {
    for (const id of this.topology.nodeIds.filter((node) => !this.cluster.isRunning(node))) {
      const asPrimary = id === this.topology.primary;
      const how = await this.cluster.restart(id, asPrimary ? null : this.topology.primary);
      this.#record('restart', id, { as: asPrimary ? 'primary' : 'replica', ...how });
      this.topology.setRole(id, asPrimary ? 'leader' : 'follower');
    }
  }

  /** Takes in a primary the authority chose (on its own or when asked); repeated views change nothing. */
  learnFromAuthority(view: { readonly primary: string; readonly epoch: number }, staleClients = 0): void {
    if (view.primary === this.topology.primary) return;
    const old = this.topology.primary;
    this.topology.promote(view.primary, staleClients, view.epoch);
    this.#record('failover', view.primary, { from: old, to: view.primary, epoch: view.epoch, by: 'sentinel' });
    // The authority repoints the other replicas itself; they are followers of the new primary from now on.
    for (const id of this.topology.others()) if (id !== old && this.cluster.isRunning(id)) this.topology.setRole(id, 'follower');
  }

  /** Learns the authority's primary, and which old primaries it has since turned into replicas. */
  async followAuthority(authority: FailoverAuthority): Promise<void> {
    const view = await authority.view();
    if (view) this.learnFromAuthority(view);
    for (const id of this.topology.others()) {
      if (this.topology.role(id) !== 'leader' || !this.#reachable(id)) continue;
      if ((await this.cluster.position(id, POSITION_TIMEOUT_MS))?.role === 'replica') this.topology.setRole(id, 'follower');
    }
  }

  async #authorityFailover(authority: FailoverAuthority, staleClients: number): Promise<void> {
    const old = this.topology.primary;
    await authority.failover().catch((error: Error) => this.#record('failover', null, { from: old, error: error.message, by: 'sentinel' }));
    const deadline = Date.now() + AUTHORITY_FAILOVER_WAIT_MS;
    while (Date.now() < deadline) {
      const view = await authority.view();
      if (view && view.primary !== old) return this.learnFromAuthority(view, staleClients);
      await sleep(50);
    }
  }

  async #failover(staleClients: number): Promise<void> {
    if (this.authority) return this.#authorityFailover(this.authority, staleClients);
    const old = this.topology.primary;
    const offsets = await this.#replicaOffsets();
    const best = [...offsets].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0];
    // Thrown, so that the plan as it ran says the step failed, as the history does.
    if (!best) throw new Error(`no replica up (running, not paused) told its log position within ${FAILOVER_POSITION_WAIT_MS} ms`);
    const [chosen] = best;
    await this.cluster.promote(chosen);
    this.#replayPaused.delete(chosen);
    this.topology.promote(chosen, staleClients);
    this.#record('failover', chosen, {
      from: old,
      to: chosen,
      epoch: this.topology.epoch,
      offsets: Object.fromEntries(offsets),
      ...(staleClients > 0 && { staleClients }),
    });
    for (const id of this.topology.others()) {
      if (id === old && staleClients > 0) continue;
      if (!this.cluster.isRunning(id)) continue;
      if (this.cluster.isPaused(id)) this.#toDemote.add(id);
      else await this.#follow(id);
    }
  }

  async #demoteOtherPrimaries(): Promise<void> {
    for (const id of this.topology.others()) {
      if (!this.#reachable(id)) continue;
      if ((await this.cluster.position(id, 1000))?.role !== 'primary') continue;
      await this.#follow(id);
      this.#record('demote', id, { to: this.topology.primary });
    }
    this.topology.pointEveryClientAtPrimary();
  }

  async #partition(a: Target, b: Target): Promise<void> {
    const left = this.#resolve(a);
    const right = this.#resolve(b).filter((id) => !left.includes(id));
    const links = (await Promise.all(left.flatMap((x) => right.map((y) => this.cluster.links(x, y))))).flat();
    // Nothing to cut (PostgreSQL names connections, and none was open): say so rather than claim a partition.
    if (links.length === 0 && left.length > 0 && right.length > 0)
      throw new Error(`no connection between ${left.join(', ')} and ${right.join(', ')} to cut`);
    await this.partitioner.cut(links);
    this.#record('partition', null, { a: left, b: right });
  }

  async #pauseReplay(target: Target): Promise<void> {
    if (!this.cluster.pauseReplay) throw new Error('this database cannot pause replay');
    for (const id of this.#resolve(target).filter((node) => this.#reachable(node) && node !== this.topology.primary)) {
      await this.cluster.pauseReplay(id);
      this.#replayPaused.add(id);
      this.#record('pause-replay', id);
    }
  }

  async #resumeReplay(): Promise<void> {
    for (const id of [...this.#replayPaused]) {
      this.#replayPaused.delete(id);
      if (!this.#reachable(id) || !this.cluster.resumeReplay) continue;
      await this.cluster.resumeReplay(id);
      this.#record('resume-replay', id);
    }
  }

  /** Makes `id` a replica of the harness's primary. */
  async #follow(id: string): Promise<void> {
    await this.cluster.follow(id, this.topology.primary);
    this.topology.setRole(id, 'follower');
  }

  /**
   * Log positions of the replicas (paused or dead ones cannot be promoted). A running one is asked again
   * until it answers or the wait is over: one slow connection must not make a failover find no candidate.
   */
  async #replicaOffsets(): Promise<Map<string, number>> {
    const offsets = new Map<string, number>();
    const deadline = Date.now() + FAILOVER_POSITION_WAIT_MS;
    for (const id of this.topology.others()) {
      const position = await this.#positionBy(id, deadline);
      if (position?.role === 'replica') offsets.set(id, position.offset);
    }
    return offsets;
  }

  /** Asks a node that is up for its position until it answers or `deadline` (a Date.now()) passes; once at least. */
  async #positionBy(id: string, deadline: number): Promise<NodePosition | undefined> {
    while (this.#reachable(id)) {
      const position = await this.cluster.position(id, POSITION_TIMEOUT_MS);
      if (position || Date.now() >= deadline) return position;
      await sleep(POSITION_RETRY_MS);
    }
    return undefined;
  }

  #resolve(target: Target): string[] {
    if ('node' in target) return [target.node];
    if (target.role === 'primary') return [this.topology.primary];
    const replicas = this.topology.others().filter((id) => this.#reachable(id));
    if (target.role === 'replicas') return replicas;
    return replicas.length > 0 ? [replicas[target.index % replicas.length]] : [];
  }

  #reachable(id: string): boolean {
    return this.cluster.isRunning(id) && !this.cluster.isPaused(id);
  }

  #record(f: string, node: string | null, details: { readonly [field: string]: Value } = {}): void {
    this.log.append({
      type: 'info',
      process: 'nemesis',
      f,
      value: node === null ? details : { node, ...details },
      ...(node !== null && { node }),
    });
  }
}
