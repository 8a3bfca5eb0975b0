import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeJsonl } from '../../history/formats/jsonl.ts';
import { readHistoryFile } from '../../history/formats/read-history.ts';
import { checkHistory } from '../../history/linearizability/check.ts';
import type { History } from '../../history/operation.ts';
import { seededChoose, simulateHistory } from '../../history/workloads/simulated-history.ts';
import type { Scenario, Section } from './scenario.ts';
import { scenario } from './scenario.ts';

// What a user of `leaderlog check` feels: the wall time of one CLI call on a tiny file, next to
// `node -e 0` (Node's own start); and per set of files (Knossos, generated cas-register histories,
// Porcupine's key-value histories) the check time summed over the files, cold (one CLI process per
// file, as a script checking files one by one runs it: the in-process check times summed, and the
// processes' wall times summed) and warm (one process checking the set again and again).

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'leaderlog.js');
const TMP = join(tmpdir(), 'leaderlog-bench-cli');

const TINY = [
  '{:process 0, :type :invoke, :f :write, :value 1}',
  '{:process 0, :type :ok, :f :write, :value 1}',
  '{:process 1, :type :invoke, :f :read, :value nil}',
  '{:process 1, :type :ok, :f :read, :value 1}',
].join('\n');

interface FileSet {
  readonly name: string;
  readonly files: () => string[];
}

const SETS: readonly FileSet[] = [
  { name: 'knossos', files: () => ednFiles(join(ROOT, 'history/fixtures/knossos')) },
  { name: 'generated-cas-register', files: generatedFiles },
  { name: 'porcupine-kv', files: () => ednFiles(join(ROOT, 'history/fixtures/porcupine-kv')) },
];

function ednFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.edn'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** 20 cas-register histories of 1,000 operations from 5 clients, 5% crashed, as Jepsen draws them. */
function generatedFiles(): string[] {
  const dir = join(TMP, 'generated');
  mkdirSync(dir, { recursive: true });
  return Array.from({ length: 20 }, (_, i) => {
    const file = join(dir, `cas-register-${i + 1}.jsonl`);
    if (!existsSync(file)) {
      const events = simulateHistory(
        {
          workload: 'register',
          cas: true,
          values: 5,
          ops: 1_000,
          keys: 1,
          processes: 5,
          failPercent: 0,
          infoPercent: 5,
          slowPercent: 5,
          nemesisOneIn: 0,
        },
        seededChoose(i + 1),
      );
      writeFileSync(file, writeJsonl(events));
    }
    return file;
  });
}

/** The CLI runs compiled JavaScript: build it if this clone has not yet. */
function ensureBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli.js'))) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
}

function wall(command: string, args: readonly string[]): { millis: number; status: number | null; stdout: string } {
  const start = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { millis: performance.now() - start, status: result.status, stdout: result.stdout };
}

const nodeStart = scenario({
  name: 'node-e-0',
  runs: 15,
  setup: () => undefined,
  run: () => ({ 'wall ms': wall(process.execPath, ['-e', '0']).millis }),
});

const tinyCheck = scenario({
  name: 'check-tiny-file',
  runs: 15,
  setup: () => {
    ensureBuilt();
    mkdirSync(TMP, { recursive: true });
    const file = join(TMP, 'tiny.edn');
    writeFileSync(file, TINY);
    return file;
  },
  run: (file) => {
    const { millis, status } = wall(process.execPath, [BIN, 'check', file]);
    if (status !== 0) throw new Error(`leaderlog check exited ${status} on a valid 2-operation history`);
    return { 'wall ms': millis };
  },
});

function cold(set: FileSet): Scenario<string[]> {
  return scenario({
    name: `cold-${set.name}`,
    runs: 1,
    setup: () => {
      ensureBuilt();
      return set.files();
    },
    run: (files) => {
      let checkMillis = 0;
      let wallMillis = 0;
      for (const file of files) {
        const { millis, stdout } = wall(process.execPath, [BIN, 'check', '--json', '--workers', '1', file]);
        wallMillis += millis;
        checkMillis += (JSON.parse(stdout) as { files: { millis?: number }[] }).files[0].millis ?? 0;
      }
      return { files: files.length, 'check ms summed': checkMillis, 'process wall ms summed': wallMillis };
    },
  });
}

function warm(set: FileSet): Scenario<{ name: string; history: History }[]> {
  return scenario({
    name: `warm-${set.name}`,
    runs: 10,
    setup: () => set.files().map((file) => ({ name: relative(ROOT, file), history: readHistoryFile(file) })),
    run: (histories) => {
      const verdicts: Record<string, number> = {};
      let steps = 0;
      for (const { history } of histories) {
        const result = checkHistory(history);
        verdicts[result.verdict] = (verdicts[result.verdict] ?? 0) + 1;
        steps += result.steps;
      }
      return {
        files: histories.length,
        steps,
        verdicts: Object.entries(verdicts)
          .map(([v, n]) => `${n} ${v}`)
          .join(' '),
      };
    },
  });
}

export const section: Section = {
  title: 'CLI start and check time per set (cold: a process per file; warm: one process)',
  scenarios: [nodeStart, tinyCheck, ...SETS.map(cold), ...SETS.map(warm)],
};
