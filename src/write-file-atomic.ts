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
  } catch (error) {
    throw new InputError(`cannot write: ${writeErrorReason(error)}`, { file: path });
  }
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new InputError(`cannot write: ${writeErrorReason(error)}`, { file: path });
  }
}

/**
 * Why a file or folder could not be written, in terms of the path the user gave: Node's own message
 * names the temporary file, which the user never asked for.
 */
export function writeErrorReason(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'its folder does not exist';
    case 'ENOTDIR':
      return 'part of its path is a file, not a folder';
    case 'EISDIR':
      return 'it is a folder';
    case 'EEXIST':
      return 'it is a file, not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return (error as Error).message;
  }
}
