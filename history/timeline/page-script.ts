import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// The page's script is its TypeScript modules (page/timeline.ts and what it imports) bundled by esbuild
// into one function scope, so nothing lands on `window` but what the page publishes. The built package
// ships the bundle (scripts/build.js writes it to dist/history/timeline/page/timeline.js) and needs
// neither esbuild nor the sources; run from the sources, the first page drawn bundles them, once per
// process.
const ENTRY = new URL('./page/timeline.ts', import.meta.url);
const BUNDLED = new URL('./page/timeline.js', import.meta.url);
const fromSources = import.meta.url.endsWith('.ts');

let script: string | undefined;

export function pageScript(): string {
  script ??= fromSources ? bundlePageScript(fileURLToPath(ENTRY)) : readFileSync(BUNDLED, 'utf8');
  return script;
}

/** The page's modules, from `entry`, as one script. esbuild is loaded here only: a built package never calls this. */
export function bundlePageScript(entry: string): string {
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const { outputFiles } = esbuild.buildSync({
    entryPoints: [entry],
    // Bundles name their modules in comments relative to this: the same bytes from any directory.
    absWorkingDir: dirname(entry),
    bundle: true,
    format: 'iife',
    target: 'es2022',
    charset: 'utf8',
    write: false,
    logLevel: 'silent',
  });
  return outputFiles[0].text;
}
