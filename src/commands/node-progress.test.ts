import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startNodeProgress } from './node-progress.ts';

/** A terminal that keeps what is written to it. */
function terminal(): { stream: NodeJS.WriteStream; text: () => string } {
  let written = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY: true, columns: 200, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { stream, text: () => written };
}

describe('the --node progress bar', () => {
  it('counts runs and names the properties found failing', () => {
    const { stream, text } = terminal();
    const progress = startNodeProgress('node flawed.mjs', 10, stream);
    progress.onRun([]);
    progress.onRun(['no-lost-write']);
    progress.onRun(['linearizable', 'single-leader']);
    progress.onShrink('single-leader');
    progress.onRun([]);
    // cli-progress redraws at most every 100 ms; stopping draws the last state.
    const before = text();
    progress.stop();
    const shown = text();
    expect(before).toContain('0/10 runs  0 properties failing  node flawed.mjs');
    expect(shown).toContain(
      '4/10 runs  3 (no-lost-write, linearizable, single-leader) failing  node flawed.mjs: shrinking a counterexample of single-leader',
    );
  });
});
