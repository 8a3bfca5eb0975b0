import { seededRandom } from './seeded-random.ts';

// A fault plan is data: steps at fixed times from the start of the workload, against nodes named by
// role where the role's holder is only known when the step runs ("the primary"). The same seed gives the
// same plan, byte for byte; tests write theirs by hand so that a story's outcome never rests on luck.

export const FAULT_KINDS = ['kill', 'pause', 'failover', 'split-brain', 'partition'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Whom a step acts on, resolved when it runs. Replicas are numbered in node-id order, wrapping around. */
export type Target =
  | { readonly role: 'primary' }
  | { readonly role: 'replicas' }
  | { readonly role: 'replica'; readonly index: number }
  | { readonly node: string };

export type FaultAction =
  /** SIGSTOP: the node holds its connections and answers nothing. */
  | { readonly action: 'pause'; readonly target: Target }
  /** SIGCONT every paused node. */
  | { readonly action: 'resume' }
  /** SIGKILL. */
  | { readonly action: 'kill'; readonly target: Target }
  /** Start every killed node again on its address, port and dir: as a replica of the primary, or as the primary if it still is one. */
  | { readonly action: 'restart' }
  /**
   * Promote the replica with the highest replication offset and repoint the others and the clients. With
   * staleClients > 0 the old primary is deliberately left a primary and that many clients keep writing to
   * it: a split brain.
   */
  | { readonly action: 'failover'; readonly staleClients?: number }
  /** Make every primary but the harness's own a replica of it, and point every client at it. */
  | { readonly action: 'demote' }
  /** Drop all traffic between each node of `a` and each node of `b`. */
  | { readonly action: 'partition'; readonly a: Target; readonly b: Target }
  /** Remove every partition. */
  | { readonly action: 'heal' }
  /** A replica keeps receiving the log but stops applying it (where the database can: PostgreSQL). */
  | { readonly action: 'pause-replay'; readonly target: Target }
  /** Every replica applies its log again. */
  | { readonly action: 'resume-replay' };

export type FaultStep = FaultAction & { readonly atMs: number };
export type FaultPlan = readonly FaultStep[];

export interface PlanOptions {
  readonly seed: number;
  readonly durationMs: number;
  readonly faults: readonly FaultKind[];
  readonly nodes: number;
  readonly clients: number;
}

/** A seeded plan: faults one after another, each healed before the next, all inside the run. */
export function planFaults(options: PlanOptions): FaultPlan {
  const kinds = options.faults.filter((kind) => options.nodes > 1 || kind === 'kill' || kind === 'pause');
  if (kinds.length === 0) return [];
  const random = seededRandom(options.seed);
  const unit = Math.max(100, Math.round(options.durationMs / 10));
  const replicaCount = options.nodes - 1;
  const someNode = (): Target =>
    replicaCount > 0 && random.next() < 0.5 ? { role: 'replica', index: random.int(0, replicaCount - 1) } : { role: 'primary' };
  const steps: FaultStep[] = [];
  let at = random.int(unit, 2 * unit);
  for (;;) {
    const length = random.int(unit, 2 * unit);
    if (at + length > options.durationMs - unit / 2) break;
    const kind = random.pick(kinds);
    const end = at + length;
    switch (kind) {
      case 'pause':
        steps.push({ atMs: at, action: 'pause', target: someNode() }, { atMs: end, action: 'resume' });
        break;
      case 'kill':
        steps.push({ atMs: at, action: 'kill', target: someNode() }, { atMs: end, action: 'restart' });
        break;
      case 'failover':
        steps.push({ atMs: at, action: 'failover' });
        break;
      case 'split-brain': {
        const third = Math.round(length / 3);
        steps.push(
          { atMs: at, action: 'pause', target: { role: 'primary' } },
          { atMs: at + third, action: 'failover', staleClients: Math.ceil(options.clients / 2) },
          { atMs: at + 2 * third, action: 'resume' },
          { atMs: end, action: 'demote' },
        );
        break;
      }
      case 'partition': {
        const b: Target =
          replicaCount > 1 && random.next() < 0.5 ? { role: 'replicas' } : { role: 'replica', index: random.int(0, replicaCount - 1) };
        steps.push({ atMs: at, action: 'partition', a: { role: 'primary' }, b }, { atMs: end, action: 'heal' });
        break;
      }
    }
    at = end + random.int(unit / 2, unit);
  }
  return steps;
}

function describeTarget(target: Target): string {
  if ('node' in target) return target.node;
  if (target.role === 'replica') return `replica #${target.index + 1}`;
  return target.role === 'primary' ? 'the primary' : 'every replica';
}

const seconds = (ms: number) => `+${(ms / 1000).toFixed(3)}s`;

/** One line per step, e.g. `+1.200s pause the primary`. */
export function describeFaultPlan(plan: FaultPlan): string[] {
  return plan.map((step) => `${seconds(step.atMs)} ${describeAction(step)}`);
}

/** A step as it was carried out: when it took effect (ms after the workload began), or why it failed. */
export interface PerformedStep {
  readonly step: FaultStep;
  readonly atMs: number;
  readonly error?: string;
}

/** The plan as it ran, e.g. `+1.960s fail over: at +2.630s (0.670 s late)`; steps never reached say so. */
export function describePerformedPlan(plan: FaultPlan, performed: readonly PerformedStep[]): string[] {
  return plan.map((step, index) => {
    const done = performed[index];
    const planned = `${seconds(step.atMs)} ${describeAction(step)}`;
    if (!done) return `${planned}: not carried out (the run ended first)`;
    const lateMs = done.atMs - step.atMs;
    const when = `at ${seconds(done.atMs)}${lateMs >= 1 ? ` (${(lateMs / 1000).toFixed(3)} s late)` : ''}`;
    return done.error ? `${planned}: failed ${when}: ${done.error}` : `${planned}: ${when}`;
  });
}

function describeAction(step: FaultAction): string {
  switch (step.action) {
    case 'pause':
    case 'kill':
      return `${step.action} ${describeTarget(step.target)}`;
    case 'failover':
      return step.staleClients
        ? `fail over, leaving the old primary up with ${step.staleClients} client(s) on it (split brain)`
        : 'fail over';
    case 'partition':
      return `partition ${describeTarget(step.a)} from ${describeTarget(step.b)}`;
    case 'resume':
      return 'resume paused nodes';
    case 'restart':
      return 'restart killed nodes';
    case 'demote':
      return 'demote every other primary';
    case 'heal':
      return 'heal partitions';
    case 'pause-replay':
      return `pause replay on ${describeTarget(step.target)}`;
    case 'resume-replay':
      return 'resume replay on every replica';
  }
}
