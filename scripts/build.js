// `npm run build`: compiles the package into dist/ (tsc: JavaScript and type declarations, by
// tsconfig.build.json) and adds the files the compiled code reads at run time: the timeline page's
// styles and chrome, and its script bundled from the TypeScript modules (by the compiled page-script.js,
// so the bundle is made exactly as when running from the sources). dist/ is made afresh, so a file
// deleted from the source never lingers in a published package.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// typescript exports no path to its compiler: find it beside its package.json.
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');

// `prepare` builds a clone on `npm install`; npm also runs it on `npm pack`, after `prepack` has built.
if (process.argv.includes('--prepare') && ['pack', 'publish'].includes(process.env.npm_command ?? '')) process.exit(0);

rmSync(`${root}dist`, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit' });
const page = `${root}dist/history/timeline/page`;
for (const part of ['timeline.css', 'chrome.html']) cpSync(`${root}history/timeline/page/${part}`, `${page}/${part}`);
const { bundlePageScript } = await import(pathToFileURL(`${root}dist/history/timeline/page-script.js`).href);
writeFileSync(`${page}/timeline.js`, bundlePageScript(`${root}history/timeline/page/timeline.ts`));
