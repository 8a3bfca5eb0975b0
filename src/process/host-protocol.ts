// What the main thread asks the node host (node-host.ts) and what it answers: plain data through a
// MessagePort, one request at a time.

export type HostRequest =
  /** Gives node `node` a process running `command` in `cwd` (its spare, if one is waiting), killing the one it had. */
  | {
      readonly id: number;
      readonly op: 'start';
      readonly node: string;
      readonly command: readonly string[];
      readonly cwd: string;
      readonly stderrFile: string;
      readonly fresh: boolean;
      readonly marker?: string;
    }
  /**
   * Writes `line` (if any) to the node's stdin, then collects what it prints: up to its idle line, up
   * to its `init_ok` (or a line that is not JSON), or for `millis` whatever comes (`wait`).
   */
  | {
      readonly id: number;
      readonly op: 'exchange';
      readonly node: string;
      readonly line: string | null;
      readonly until: 'idle' | 'init_ok' | 'wait';
      readonly millis: number;
    }
  | { readonly id: number; readonly op: 'kill'; readonly node: string }
  /** Stops (SIGSTOP) or continues (SIGCONT) the node's live process: a pause. */
  | { readonly id: number; readonly op: 'signal'; readonly node: string; readonly signal: 'SIGSTOP' | 'SIGCONT' }
  /** Kills every process, spares included, and waits until each is gone. */
  | { readonly id: number; readonly op: 'close' };

export type HostReply =
  | { readonly id: number; readonly error: string }
  | { readonly id: number; readonly pid: number }
  /** `ended`: how the process ended, when it has; `timedOut`: what was awaited never came within `millis`. */
  | { readonly id: number; readonly lines: readonly string[]; readonly ended: string | null; readonly timedOut: boolean }
  | { readonly id: number };

/** The ticks extension's end of a step: `{"type":"idle"}`, or a message whose body is one. */
export function isIdleLine(line: string): boolean {
  if (!line.includes('"idle"')) return false;
  try {
    const data = JSON.parse(line) as { type?: unknown; body?: { type?: unknown } };
    return data.type === 'idle' || data.body?.type === 'idle';
  } catch {
    return false;
  }
}
