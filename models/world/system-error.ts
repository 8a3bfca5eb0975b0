// A system under test misbehaved in a way no schedule should be able to cause: a handler threw, sent a
// malformed message or a message to a node that does not exist, or answered a client nonsensically.
// That is a bug in the system (or its adapter), not a finding of the campaign: the CLI reports it in
// one line and exits 3.

export class SystemError extends Error {
  /** The node whose handler was at fault, when one was. */
  readonly node: string | undefined;
  /** The world's step (logical time) at which it happened. */
  readonly step: number;

  constructor(message: string, step: number, node?: string) {
    super(message);
    this.name = 'SystemError';
    this.step = step;
    this.node = node;
  }
}
