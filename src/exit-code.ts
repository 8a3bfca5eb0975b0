// The exit codes every leaderlog command keeps to; the README documents them.
export const ExitCode = {
  /** Everything checked holds. */
  ok: 0,
  /** A violation: a history is not valid, or a property found a counterexample. */
  violation: 1,
  /** No violation, but some check ran out of budget before proving anything. */
  unknown: 2,
  /** Bad input or usage: the message names the file, line and what was expected. */
  badInput: 3,
  /** A bug in leaderlog itself, or the environment failed (a server would not start). */
  internal: 4,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
