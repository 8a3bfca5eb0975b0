import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario, Section } from './scenario.ts';
import { scenario } from './scenario.ts';

// A correct design must never fail: a million schedules per correct preset, every property judged on
// each, with zero violations. One `leaderlog test` process (the compiled CLI, as users run it: npm run
// bench builds first) runs them on a worker thread per core; the figures are what each property found.

const RUNS = Number(process.env.LEADERLOG_CLEAN_RUNS ?? 1_000_000);
const SEED = 1;
const CLI = fileURLToPath(new URL('../../bin/leaderlog.js', import.meta.url));

interface ShardJson {
  readonly exitCode: number;
  readonly presets: readonly {
    readonly runs: number;
    readonly properties: readonly {
      readonly property: string;
      readonly status: string;
      readonly counterexample?: { readonly run: number; readonly names: readonly string[] };
    }[];
  }[];
}

function campaign(preset: string, workers: number, out: string): Promise<ShardJson> {
  return new Promise((resolve, reject) => {
    const args = [
      CLI,
      'test',
      '--preset',
      preset,
      '--runs',
      String(RUNS),
      '--seed',
      String(SEED),
      '--workers',
      String(workers),
      '--json',
      '--out',
      out,
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(stdout) as ShardJson);
      } catch {
        reject(new Error(`the campaign of ${preset} printed no report`));
      }
    });
  });
}

function clean(preset: string): Scenario<null> {
  return scenario({
    name: `clean/${preset}`,
    runs: 1,
    warmUp: false,
    setup: () => null,
    run: async () => {
      const out = mkdtempSync(join(tmpdir(), 'leaderlog-clean-'));
      const count = availableParallelism();
      const started = performance.now();
      try {
        const reports = [await campaign(preset, count, out)];
        const seconds = (performance.now() - started) / 1000;
        const runs = reports.reduce((sum, r) => sum + r.presets[0].runs, 0);
        const figures: Record<string, number | string> = {
          schedules: runs,
          workers: count,
          seconds: Math.round(seconds),
          'schedules/s': Math.round(runs / seconds),
        };
        for (const property of reports[0].presets[0].properties.map((p) => p.property)) {
          const failed = reports.flatMap((r) => r.presets[0].properties.filter((p) => p.property === property && p.status !== 'held'));
          figures[property] =
            failed.length === 0
              ? 'held'
              : failed.map((p) => `${p.status} at run ${p.counterexample?.run} (${p.counterexample?.names.join(', ')})`).join('; ');
        }
        return figures;
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
  });
}

export const section: Section = {
  title: `Clean runs: ${RUNS.toLocaleString('en')} schedules of each correct preset (seed ${SEED}, a worker thread per core), every property held`,
  scenarios: [clean('safe'), clean('lease-reads')],
};
