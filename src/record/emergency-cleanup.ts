// Whatever a recorder starts (servers, firewall tables, temp dirs) must go even when the run is cut
// short: Ctrl-C, a SIGTERM from CI, an uncaught error. Each resource registers how to undo itself: at
// once (for process exit, where nothing can wait) and, where it can do better, by waiting (for a signal:
// killed servers are reaped before we exit, so none lingers even as a zombie). The normal path releases
// the hold after cleaning up properly. Handlers exist only while something is held.

export interface Undo {
  /** Synchronous, for process exit. */
  readonly now: () => void;
  /** Thorough, for a fatal signal; `now` is used when absent. */
  readonly soon?: () => Promise<void>;
}

const held = new Set<Undo>();
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type FatalSignal = (typeof signals)[number];
const exitCodeFor: Record<FatalSignal, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
/** A signal's cleanup may not hang the exit: past this, whatever is left is undone at once. */
const SIGNAL_CLEANUP_LIMIT_MS = 5000;

function undoAllNow(): void {
  for (const undo of take()) {
    try {
      undo.now();
    } catch {
      // Best effort: one failed undo must not stop the others.
    }
  }
}

async function undoAllSoon(): Promise<void> {
  const undos = take();
  const limit = new Promise<void>((resolve) => setTimeout(resolve, SIGNAL_CLEANUP_LIMIT_MS).unref());
  const thorough = Promise.allSettled(undos.map(async (undo) => (undo.soon ? undo.soon() : undo.now())));
  await Promise.race([thorough, limit]);
  for (const undo of undos) {
    try {
      undo.now();
    } catch {
      // Already undone by `soon`.
    }
  }
}

function take(): Undo[] {
  const undos = [...held];
  held.clear();
  return undos;
}

async function onSignal(signal: FatalSignal): Promise<void> {
  uninstall();
  await undoAllSoon();
  process.exit(exitCodeFor[signal]);
}

const handlers = new Map(signals.map((signal) => [signal, () => void onSignal(signal)] as const));

function install(): void {
  process.on('exit', undoAllNow);
  for (const [signal, handler] of handlers) process.on(signal, handler);
}

function uninstall(): void {
  process.off('exit', undoAllNow);
  for (const [signal, handler] of handlers) process.off(signal, handler);
}

/** Registers how to undo a resource on exit or a fatal signal; returns the function that releases it. */
export function holdUntilExit(undo: Undo): () => void {
  if (held.size === 0) install();
  held.add(undo);
  return () => {
    if (held.delete(undo) && held.size === 0) uninstall();
  };
}
