import { existsSync, statSync } from 'node:fs';
import type { CampaignOptions, CampaignOutcome, NodeCommandSource, Subject } from '../../properties/index.ts';
import { runCampaign, systemSubject } from '../../properties/index.ts';
import { sourceHash } from '../system-module.ts';
import type { NodeCommandOptions, ProcessSystem } from './process-system.ts';
import { processSystem } from './process-system.ts';

// The property campaign against a Maelstrom-protocol node binary: `leaderlog test --node` and testNode
// in the API. Processes cost a start-up each run, so fewer runs and a smaller shrinking budget than for
// an in-process system; on the wall clock a run does not repeat, so every schedule judged while
// shrinking gets up to `reruns` runs, and the counterexample says in how many it failed. Besides the
// faults every system gets, a node is paused and resumed.

export interface NodeTestOptions extends NodeCommandOptions {
  /** Schedules to run (default 100). */
  readonly runs?: number;
  readonly seed?: number;
  /** Wall clock: how many runs a schedule gets before it counts as not failing (default 3). */
  readonly reruns?: number;
  /** Property checks spent shrinking one counterexample (default 100 on ticks, 20 on the wall clock); one failing run per property is shrunk. */
  readonly shrinkBudget?: number;
  /** How schedules are drawn (their length, weights over NODE_WEIGHTS); default as for any system. */
  readonly schedules?: CampaignOptions['schedules'];
  /** Only these properties (default: all of them). */
  readonly properties?: CampaignOptions['properties'];
  readonly onRun?: CampaignOptions['onRun'];
  readonly onShrink?: CampaignOptions['onShrink'];
}

export const DEFAULT_NODE_RUNS = 100;
/** A process can be stopped (SIGSTOP) as well as killed: node schedules draw pauses, as often as crashes. */
const NODE_WEIGHTS = { pause: 2 } as const;
const DEFAULT_RERUNS = 3;

/** Runs the campaign; every process it started is ended (by PID) before it returns or throws. */
export function testNode(options: NodeTestOptions): CampaignOutcome {
  const system = processSystem(options);
  try {
    return runCampaign(nodeSubject(system, options.reruns ?? DEFAULT_RERUNS), {
      runs: options.runs ?? DEFAULT_NODE_RUNS,
      seed: options.seed ?? 1,
      shrinkBudget: options.shrinkBudget ?? (system.clock === 'ticks' ? 100 : 20),
      starts: 1,
      // The plain mixture unless asked: a process steps some hundred times slower than a system in
      // process, and the deep units' long schedules would spend most of the budget.
      schedules: { swarm: false, ...options.schedules, weights: { ...NODE_WEIGHTS, ...options.schedules?.weights } },
      ...(options.properties && { properties: options.properties }),
      ...(options.onRun && { onRun: options.onRun }),
      ...(options.onShrink && { onShrink: options.onShrink }),
    });
  } finally {
    system.close();
  }
}

/** The campaign's view of a process system: named by its command, hashed by its program's source. */
export function nodeSubject(system: ProcessSystem, reruns = DEFAULT_RERUNS): Subject {
  const node: NodeCommandSource = { command: system.command, nodes: system.nodes, clients: system.clients ?? 3, clock: system.clock };
  const program = system.command.find((arg) => existsSync(arg) && statSync(arg).isFile());
  const subject = systemSubject(system, { module: '', hash: program === undefined ? '' : sourceHash(program), node });
  return system.clock === 'wall' ? { ...subject, reruns } : subject;
}
