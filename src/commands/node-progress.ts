import cliProgress from 'cli-progress';
import type { CampaignOptions, PropertyName } from '../../properties/index.ts';

// The progress of `leaderlog test --node` on stderr: runs done of the total and the properties found
// failing so far (each run costs process start-ups, so a campaign takes minutes, not seconds). Only on
// a terminal, never with --json, and never a byte on stdout.

export interface NodeProgress {
  readonly onRun: NonNullable<CampaignOptions['onRun']>;
  readonly onShrink: NonNullable<CampaignOptions['onShrink']>;
  stop(): void;
}

export function startNodeProgress(name: string, total: number, stream: NodeJS.WriteStream = process.stderr): NodeProgress {
  const failing: PropertyName[] = [];
  // The cursor stays visible: the campaign blocks the event loop, so a signal ends the process at once.
  const bar = new cliProgress.SingleBar(
    { format: '{bar} {value}/{total} runs  {failures} failing  {doing}', stream, hideCursor: false, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  const failures = () => (failing.length === 0 ? '0 properties' : `${failing.length} (${failing.join(', ')})`);
  bar.start(total, 0, { failures: failures(), doing: name });
  return {
    onRun: (failed) => {
      failing.push(...failed);
      bar.increment({ failures: failures() });
    },
    onShrink: (property) => bar.update({ doing: `${name}: shrinking a counterexample of ${property}` }),
    stop: () => bar.stop(),
  };
}
