import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../history/input-error.ts';
import { writeFileAtomic } from './write-file-atomic.ts';

describe('writeFileAtomic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leaderlog-write-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const failure = (path: string): InputError => {
    try {
      writeFileAtomic(path, 'page');
    } catch (error) {
      if (error instanceof InputError) return error;
      throw error;
    }
    throw new Error(`${path} was written`);
  };

  it('writes the content, replacing what was there, and leaves nothing else behind', () => {
    const path = join(dir, 'page.html');
    writeFileSync(path, 'old');
    writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['page.html']);
  });

  it('a path it cannot write is bad input naming that path and why, with no temporary file left', () => {
    const cwd = join(dir, 'cases');
    mkdirSync(cwd);
    const file = join(cwd, 'a-file');
    writeFileSync(file, '');
    const folder = join(cwd, 'a-folder');
    mkdirSync(folder);
    const cases: [string, string][] = [
      [join(file, 'page.html'), 'cannot write: part of its path is a file, not a folder'],
      [join(cwd, 'missing', 'page.html'), 'cannot write: its folder does not exist'],
      [folder, 'cannot write: it is a folder'],
    ];
    for (const [path, message] of cases) {
      const error = failure(path);
      expect(error.describe()).toBe(`${path}: ${message}`);
    }
    expect(readdirSync(cwd).sort()).toEqual(['a-file', 'a-folder']);
    expect(readdirSync(folder)).toEqual([]);
  });
});
