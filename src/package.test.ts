import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// leaderlog as a user gets it: `npm pack` (which builds through prepack), the tarball installed into a
// fresh project, imported with plain node, type-checked under a strict user tsconfig, and its CLI run.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSC = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
const FIXTURE = join(ROOT, 'history', 'fixtures', 'knossos', 'cas-register', 'bad', 'bad-analysis.edn');

let dir: string;
let project: string;
let packed: { files: { path: string }[]; filename: string };

function run(command: string, args: readonly string[], cwd: string) {
  return spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'leaderlog-pack-'));
  project = join(dir, 'project');
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  packed = (JSON.parse(output.slice(output.indexOf('['))) as (typeof packed)[])[0];
  installInto(project, join(dir, packed.filename));
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * Installs the tarball the way a user would, but offline: the project's lockfile pins leaderlog's
 * dependencies to the very versions (and integrity hashes) of our own lockfile, which `npm ci` here
 * has already put in npm's cache. Only if that cache lacks something does it ask the registry.
 */
function installInto(project: string, tarball: string): void {
  cpSync(FIXTURE, join(dir, 'history.edn'));
  const ours = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
    dependencies: Record<string, string>;
    bin: Record<string, string>;
    engines: Record<string, string>;
  };
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    '': { name: 'project', dependencies: { leaderlog: spec } },
    'node_modules/leaderlog': {
      version: manifest.version,
      resolved: spec,
      dependencies: manifest.dependencies,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  for (const [path, entry] of Object.entries(ours.packages)) if (path !== '' && !entry.dev) packages[path] = entry;
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'project', private: true, type: 'module', dependencies: { leaderlog: spec } }),
  );
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify({ name: 'project', lockfileVersion: 3, requires: true, packages }));
  const flags = ['--ignore-scripts', '--no-audit', '--no-fund'];
  const offline = run('npm', ['ci', '--offline', ...flags], project);
  if (offline.status === 0) return;
  console.warn(`offline install failed, using the registry: ${offline.stderr.trim().split('\n')[0]}`);
  const online = run('npm', ['install', '--prefer-offline', ...flags], project);
  if (online.status !== 0) throw new Error(`npm install failed:\n${online.stderr}`);
}

describe('the packed package', () => {
  it('ships compiled JavaScript and declarations, no TypeScript source, tests or fixtures', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain('dist/src/index.js');
    expect(paths).toContain('dist/src/index.d.ts');
    expect(paths).toContain('dist/history/timeline/page/timeline.js');
    expect(paths).toContain('bin/leaderlog.js');
    expect(paths.filter((p) => /\.test(-kit)?\.|fixtures\/|counterexamples\//.test(p))).toEqual([]);
    expect(paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([]);
  });

  it('is imported by plain node and judges a history', () => {
    const script = [
      "import { readHistoryFile, judgeHistory, models } from 'leaderlog';",
      "const judgement = judgeHistory(readHistoryFile('../history.edn'));",
      'console.log(judgement.verdict, judgement.model, typeof models.presets);',
    ].join('\n');
    const result = run(process.execPath, ['--input-type=module', '-e', script], project);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('invalid register object');
  });

  it('does not load the Redis client on import', () => {
    // With the client gone, importing still works and checking still works: nothing asked for it.
    const redis = join(project, 'node_modules', 'redis');
    renameSync(redis, `${redis}.away`);
    try {
      const script =
        "import { judgeHistory, readHistoryFile, recordRedis } from 'leaderlog'; console.log(typeof recordRedis, judgeHistory(readHistoryFile('../history.edn')).verdict);";
      const result = run(process.execPath, ['--input-type=module', '-e', script], project);
      expect(result.stderr).toBe('');
      expect(result.stdout.trim()).toBe('function invalid');
    } finally {
      renameSync(`${redis}.away`, redis);
    }
  });

  it('draws the timeline page from the bundle it ships, without esbuild, the same bytes as from the sources', async () => {
    // esbuild comes along with tsx; with it gone, drawing still works: the page's script was bundled by the build.
    const esbuild = join(project, 'node_modules', 'esbuild');
    renameSync(esbuild, `${esbuild}.away`);
    try {
      const script =
        "import { readHistoryFile, renderTimeline } from 'leaderlog'; process.stdout.write(renderTimeline({ history: readHistoryFile('../history.edn') }));";
      const result = run(process.execPath, ['--input-type=module', '-e', script], project);
      expect(result.stderr).toBe('');
      const { readHistoryFile, renderTimeline } = await import('./index.ts');
      expect(result.stdout).toBe(renderTimeline({ history: readHistoryFile(FIXTURE) }));
    } finally {
      renameSync(`${esbuild}.away`, esbuild);
    }
  });

  it('runs its CLI from the project', () => {
    const bin = join(project, 'node_modules', '.bin', 'leaderlog');
    const check = run(bin, ['check', '../history.edn'], project);
    expect(check.stderr).toBe('');
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('invalid as a register');
    const version = run(bin, ['--version'], project);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it("type-checks in a user's strict tsconfig (noUncheckedIndexedAccess, exactOptionalPropertyTypes, no skipLibCheck)", () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: false,
          noEmit: true,
          // A Node user has @types/node; ours stands in for theirs.
          typeRoots: [join(ROOT, 'node_modules', '@types')],
          types: ['node'],
        },
        include: ['use.ts'],
      }),
    );
    writeFileSync(
      join(project, 'use.ts'),
      [
        "import { checkHistory, judgeHistory, readHistoryFile, models, properties } from 'leaderlog';",
        "import type { Judgement, CheckResult } from 'leaderlog';",
        "const history = readHistoryFile('../history.edn');",
        'const judgement: Judgement = judgeHistory(history, { budget: { steps: 1000 } });',
        "const result: CheckResult = checkHistory(history, { model: 'cas-register' });",
        'console.log(judgement.verdict, result.partitions.length, Object.keys(models.presets), typeof properties.runCampaign);',
        '',
      ].join('\n'),
    );
    const result = run(process.execPath, [TSC, '-p', project], project);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
