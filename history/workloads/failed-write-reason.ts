// A read that shows a value only a failed write wrote is a phantom read either way, but what the history
// shows differs with the order: a write that failed while the read was still running took effect after
// all; one that began only after the read had finished cannot have given the read its value.

export interface FailedWrite {
  /** Operation id. */
  readonly op: number;
  /** Its invocation's position in History.events. */
  readonly invoke: number;
}

/**
 * `shows` opens the sentence ("read #3 returned 5"); `write` names the writing operation ("write",
 * "append", "add"); `readComplete` is the read's completion position.
 */
export function failedWriteReason(shows: string, write: string, failed: FailedWrite, readComplete: number): string {
  if (failed.invoke > readComplete) {
    return `${shows}, which no ${write} had produced when it finished; the only ${write} of it, #${failed.op}, began after the read had finished, and failed`;
  }
  return `${shows}, which only ${write} #${failed.op} wrote, and that ${write} failed: it took effect after all`;
}
