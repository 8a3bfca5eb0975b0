// Every way input can be wrong ends in one of these: a message saying what was expected, and where.
// The CLI prints `file:line:column: message` and exits 3; nothing else is ever shown to the user.

export interface SourcePosition {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

export class InputError extends Error {
  readonly position: SourcePosition;

  constructor(message: string, position: SourcePosition = {}) {
    super(message);
    this.name = 'InputError';
    this.position = position;
  }

  /** `file:line:column: message`, leaving out what is unknown. */
  describe(): string {
    const { file, line, column } = this.position;
    const where = [file, line, line !== undefined ? column : undefined].filter((part) => part !== undefined).join(':');
    return where ? `${where}: ${this.message}` : this.message;
  }

  withFile(file: string): InputError {
    return new InputError(this.message, { ...this.position, file });
  }
}

/** A problem found after reading: which event (by position in the history) is at fault. */
export class MalformedHistoryError extends Error {
  readonly eventIndex: number;

  constructor(message: string, eventIndex: number) {
    super(message);
    this.name = 'MalformedHistoryError';
    this.eventIndex = eventIndex;
  }
}

/**
 * The input is well formed but more than this process has room for: the environment's limit, not a
 * mistake in the file (the CLI exits 4, not 3). Thrown before Node would abort, while it can still say so.
 */
export class OutOfMemoryError extends Error {
  readonly file: string | undefined;

  constructor(message: string, file?: string) {
    super(message);
    this.name = 'OutOfMemoryError';
    this.file = file;
  }

  describe(): string {
    return this.file === undefined ? this.message : `${this.file}: ${this.message}`;
  }
}

/** Why a file could not be read, in words (the message of an error from opening or reading it). */
export function readFailureReason(error: unknown): string {
  switch ((error as { code?: unknown }).code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
      return 'permission denied';
    default:
      return (error as Error).message;
  }
}
