import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// Where the PostgreSQL server programs are and whom they run as. Debian's package puts them in
// /usr/lib/postgresql/<major>/bin, off the PATH; the server refuses to run as root, so when we are root
// it runs as the package's postgres user.

export interface PostgresTools {
  readonly binDir: string;
  /** The user the servers run as; absent when we are not root (they run as us). */
  readonly user?: string;
  readonly uid?: number;
  readonly gid?: number;
}

const POSTGRES_PROGRAMS = ['initdb', 'postgres', 'pg_basebackup'] as const;
const DEBIAN_ROOT = '/usr/lib/postgresql';
const SERVER_USER = 'postgres';

/** The newest Debian install, else a dir on the PATH that holds the server programs. */
function defaultBinDir(): string | undefined {
  if (existsSync(DEBIAN_ROOT)) {
    const majors = readdirSync(DEBIAN_ROOT)
      .filter((name) => /^\d+$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
    for (const major of majors) if (hasPrograms(join(DEBIAN_ROOT, major, 'bin'))) return join(DEBIAN_ROOT, major, 'bin');
  }
  return (process.env.PATH ?? '').split(':').find((dir) => dir !== '' && hasPrograms(dir));
}

/** The tools, or why PostgreSQL cannot be run here (naming the package or the right that is missing). */
export function findPostgresTools(binDir: string | undefined = defaultBinDir()): PostgresTools | { readonly missing: string } {
  if (binDir === undefined)
    return { missing: `the PostgreSQL server programs (${POSTGRES_PROGRAMS.join(', ')}) are not installed (apt-get install postgresql)` };
  const absent = POSTGRES_PROGRAMS.filter((program) => !isExecutable(join(binDir, program)));
  if (absent.length > 0)
    return { missing: `no PostgreSQL ${absent.join(', ')} in ${binDir} (apt-get install postgresql, or --bin-dir the dir that has them)` };
  if (process.getuid?.() !== 0) return { binDir };
  const ids = userIds(SERVER_USER);
  if (!ids)
    return {
      missing: `PostgreSQL refuses to run as root and there is no ${SERVER_USER} user to run it as (apt-get install postgresql creates it)`,
    };
  return { binDir, user: SERVER_USER, ...ids };
}

function hasPrograms(dir: string): boolean {
  return POSTGRES_PROGRAMS.every((program) => isExecutable(join(dir, program)));
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function userIds(name: string): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}
