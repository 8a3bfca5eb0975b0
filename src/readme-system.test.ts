import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The README's "Test your own system" example runs as printed: its two files, taken from the README
// with `leaderlog` pointed at this checkout, pass under node:test; with `durable` keeping nothing the
// same test fails with the lost write.

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'leaderlog-readme-system-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function block(name: string): string {
  const found = new RegExp(`<!-- system example: ${name.replace('.', '\\.')} -->\\n\`\`\`ts\\n([^]*?)\`\`\``).exec(README);
  if (!found) throw new Error(`README has no system example ${name}`);
  return found[1]!.replaceAll("from 'leaderlog'", `from ${JSON.stringify(join(ROOT, 'src/index.ts'))}`);
}

function nodeTest(kv: string) {
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'kv.ts'), kv);
  writeFileSync(join(dir, 'kv.test.ts'), block('kv.test.ts'));
  const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  return spawnSync(process.execPath, ['--import', tsx, '--test', 'kv.test.ts'], { cwd: dir, encoding: 'utf8' });
}

describe('the README system example', () => {
  it('passes as printed', () => {
    const result = nodeTest(block('kv.ts'));
    expect(result.stdout).toContain('# pass 1');
    expect(result.status).toBe(0);
  });

  it('fails with the lost write, its timeline and the replay command once durable keeps nothing', () => {
    const kv = block('kv.ts');
    expect(kv).toContain('durable: (replica) => new Map(replica.data),');
    const result = nodeTest(kv.replace('durable: (replica) => new Map(replica.data),', 'durable: () => new Map(),'));
    expect(result.status).not.toBe(0);
    expect(result.stdout).toContain('primary-backup does not keep its promise (linearizable)');
    expect(result.stdout).toMatch(/no-lost-write: lost-write, shrunk to 2 steps/);
    expect(result.stdout).toContain('Replay: leaderlog replay counterexamples/primary-backup.no-lost-write.seed-1.json');
  });
});
