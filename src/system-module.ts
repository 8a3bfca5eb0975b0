import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../history/input-error.ts';
import type { AnySystem } from '../models/index.ts';
import { isSystem } from '../models/index.ts';
import type { SystemSource } from '../properties/index.ts';

// A user's system, from the module that exports it (TypeScript through tsx's API, or JavaScript),
// and a hash of its source, the module and every file it imports by a relative path, so a
// counterexample can tell when the code it was found in has changed.

export interface LoadedSystems {
  readonly systems: readonly AnySystem[];
  /** Per system, the name it is exported by (the first, when several): a campaign worker loads it so. */
  readonly exportNames: readonly string[];
  readonly source: SystemSource;
}

/** Every system `module` exports (a default export included); throws InputError naming the file. */
export async function loadSystems(module: string): Promise<LoadedSystems> {
  const path = resolve(module);
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new InputError('cannot load the system: no such file', { file: module });
  }
  if (!isFile) throw new InputError('cannot load the system: it is a directory', { file: module });
  let exports: Record<string, unknown>;
  try {
    exports = await importModule(path);
  } catch (error) {
    // One line: esbuild's "Transform failed with 1 error:" is followed by the line that says where and what.
    const lines = (error instanceof Error ? error.message : String(error)).split('\n').filter((line) => line.trim() !== '');
    const reason = lines[0]?.startsWith('Transform failed') && lines[1] !== undefined ? lines[1] : (lines[0] ?? 'it threw while loading');
    const hint = reason.includes('require() ES Module')
      ? ' (outside an ESM package a .ts module loads as CommonJS: add "type": "module" to its package.json, or name it .mts)'
      : '';
    throw new InputError(`cannot load the system: ${reason}${hint}`, { file: module });
  }
  const named = Object.entries(exports).filter(([, value]) => isSystem(value)) as [string, AnySystem][];
  const systems = [...new Set(named.map(([, system]) => system))];
  const exportNames = systems.map((system) => named.find(([, value]) => value === system)![0]);
  if (systems.length === 0) {
    throw new InputError(
      'exports no system: export an object with name, nodes, init, receive, tick, durable and restart (see defineSystem in the README)',
      { file: module },
    );
  }
  return { systems, exportNames, source: { module, hash: sourceHash(path) } };
}

const TYPESCRIPT = /\.[cm]?tsx?$/;

/** The module's exports: the compiled CLI runs plain node, so a TypeScript module loads through tsx's API. */
async function importModule(path: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  if (!TYPESCRIPT.test(path)) return (await import(url)) as Record<string, unknown>;
  const { tsImport } = await import('tsx/esm/api');
  return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
}

/** sha256 over the module and the files it imports by relative path, recursively, in a fixed order. */
export function sourceHash(path: string): string {
  const hash = createHash('sha256');
  const root = dirname(resolve(path));
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    // Paths relative to the module's folder: the same source hashes the same wherever it is checked out.
    const name = relative(root, file);
    hash.update(`${name.length}:${name}${text.length}:`).update(text);
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) visit(resolve(dirname(file), match[1]!));
  };
  visit(resolve(path));
  return `sha256:${hash.digest('hex').slice(0, 16)}`;
}
