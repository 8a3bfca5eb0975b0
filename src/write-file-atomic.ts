import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
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
    // A disk that filled up halfway leaves part of the file: it goes too.
    removeQuietly(temporary);
    throw new InputError(`cannot write: ${writeErrorReason(error)}`, { file: path });
  }
  try {
    renameSync(temporary, path);
  } catch (error) {
    removeQuietly(temporary);
    throw new InputError(`cannot write: ${writeErrorReason(error)}`, { file: path });
  }
}

/** Removes a temporary file if it is there; a failure to clean up must not hide why the write failed. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Not ours to remove (a folder of that name), or already gone.
  }
}

/**
 * mkdir -p, one level at a time from the deepest folder that exists. Node's own recursive mkdir loops
 * for ever where mkdir says ENOENT of a path whose parent exists (/proc, /sys); here every failure
 * is an InputError naming the folder asked for, at once.
 */
export function makeFolder(path: string, what = 'the folder'): void {
  const missing: string[] = [];
  for (let folder = resolve(path); ; folder = dirname(folder)) {
    const kind = kindOf(folder);
    if (kind === 'folder') break;
    if (kind === 'file')
      throw new InputError(
        `cannot make ${what}: ${folder === resolve(path) ? 'it is a file, not a folder' : 'part of its path is a file, not a folder'}`,
        { file: path },
      );
    missing.push(folder);
    if (dirname(folder) === folder) break;
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && kindOf(folder) === 'folder') continue;
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'folders cannot be made there' : writeErrorReason(error);
      throw new InputError(`cannot make ${what}: ${reason}`, { file: path });
    }
  }
}

function kindOf(path: string): 'folder' | 'file' | 'none' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'none';
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
    case 'EDQUOT':
      return 'the disk quota is used up';
    case 'EFBIG':
      return 'the file would be larger than the file size limit allows';
    default:
      return (error as Error).message;
  }
}
