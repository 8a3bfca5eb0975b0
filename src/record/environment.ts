import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FaultKind } from './fault-plan.ts';
import { nftUnavailableReason } from './network-partition.ts';

// What any recording needs besides the database's own programs: setpriv (so that servers die with
// leaderlog), and nft with root when the faults include partitions.

const run = promisify(execFile);

async function setprivUnavailableReason(): Promise<string | undefined> {
  try {
    await run('setpriv', ['--version']);
    return undefined;
  } catch {
    return 'setpriv is not installed (apt-get install util-linux): without it servers would outlive leaderlog';
  }
}

/** Every reason recording cannot start here, one line each: the database's own, then the core's. */
export async function missingForRecording(
  faults: readonly FaultKind[],
  databaseReasons: readonly (string | undefined)[],
): Promise<string[]> {
  const reasons = [
    ...databaseReasons,
    await setprivUnavailableReason(),
    faults.includes('partition') ? await nftUnavailableReason() : undefined,
  ];
  return reasons.filter((reason): reason is string => reason !== undefined);
}
