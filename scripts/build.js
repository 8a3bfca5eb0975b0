// `npm run build`: compiles the package into dist/ (tsc: JavaScript and type declarations, by
// tsconfig.build.json) and copies the files the compiled code reads at run time: the timeline page's
// parts. dist/ is made afresh, so a file deleted from the source never lingers in a published package.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// typescript exports no path to its compiler: find it beside its package.json.
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');

// `prepare` builds a clone on `npm install`; npm also runs it on `npm pack`, after `prepack` has built.
if (process.argv.includes('--prepare') && ['pack', 'publish'].includes(process.env.npm_command ?? '')) process.exit(0);

rmSync(`${root}dist`, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit' });
cpSync(`${root}history/timeline/page`, `${root}dist/history/timeline/page`, { recursive: true });
