// Whatever a recorder starts (servers, firewall tables, temp dirs) must go even when the run is cut
// short: Ctrl-C, a SIGTERM from CI, an uncaught error. Each resource registers a synchronous undo; the
// normal path unregisters it after cleaning up properly. Handlers exist only while something is held.

type Undo = () => void;

const held = new Set<Undo>();
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const exitCodeFor: Record<(typeof signals)[number], number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

function undoAll(): void {
  for (const undo of [...held]) {
    held.delete(undo);
    try {
      undo();
    } catch {
      // Best effort: one failed undo must not stop the others.
    }
  }
}

function onSignal(signal: (typeof signals)[number]): void {
  undoAll();
  uninstall();
  process.exit(exitCodeFor[signal]);
}

const handlers = new Map(signals.map((signal) => [signal, () => onSignal(signal)] as const));

function install(): void {
  process.on('exit', undoAll);
  for (const [signal, handler] of handlers) process.on(signal, handler);
}

function uninstall(): void {
  process.off('exit', undoAll);
  for (const [signal, handler] of handlers) process.off(signal, handler);
}

/** Registers a synchronous undo run on exit or a fatal signal; returns the function that releases it. */
export function holdUntilExit(undo: Undo): () => void {
  if (held.size === 0) install();
  held.add(undo);
  return () => {
    if (held.delete(undo) && held.size === 0) uninstall();
  };
}
