#!/usr/bin/env node
// The published entry point runs the compiled CLI in dist/ (`npm run build`, which `npm install` runs in
// a clone through `prepare`, and `npm pack` through `prepack`): no TypeScript is compiled at start.
// A clone installed with --ignore-scripts has no dist/; it then runs the source through tsx, slower to
// start but the same program.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/src/cli.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli.ts', import.meta.url).href);
}
