import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../history/input-error.ts';

/**
 * Writes through a temporary file in the same folder and renames it into place, so a failure halfway
 * leaves nothing half-written. A path that cannot be written is the user's to fix: an InputError.
 */
export function writeFileAtomic(path: string, content: string): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, content);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new InputError(`cannot write: ${(error as Error).message}`, { file: path });
  }
}
