import type { ParsedCounterexample, ReplayResult } from '../../properties/index.ts';
import { replayCounterexample } from '../../properties/index.ts';
import { nodeSubject } from './node-campaign.ts';
import { processSystem } from './process-system.ts';

// Replaying a node binary's counterexample: the file names the command, the cluster and the clock, so
// the processes are started again from it (in `workDir`) and ended when the replay is done. On the ticks
// clock the history comes out byte for byte as saved.

/** Whether `parsed` was found in a node binary (leaderlog test --node). */
export function isNodeCounterexample(parsed: ParsedCounterexample): boolean {
  return parsed.kind === 'system' && parsed.system.node !== undefined;
}

export function replayNodeCounterexample(parsed: ParsedCounterexample, workDir: string): ReplayResult {
  if (parsed.kind !== 'system' || !parsed.system.node) throw new Error("not a node binary's counterexample");
  const { command, nodes, clients, clock } = parsed.system.node;
  const system = processSystem({ command, nodes, clients, clock, workDir, name: parsed.system.name });
  try {
    return replayCounterexample(parsed, nodeSubject(system));
  } finally {
    system.close();
  }
}
