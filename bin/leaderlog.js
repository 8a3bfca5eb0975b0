#!/usr/bin/env node
// The published entry point: TypeScript runs as is through tsx, so `npx leaderlog` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
