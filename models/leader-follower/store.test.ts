import { describe, expect, it } from 'vitest';
import type { Value } from '../../history/value.ts';
import type { Command, Entry } from './log.ts';
import { NOOP } from './log.ts';
import { applyCommand, emptyStore, replay } from './store.ts';

/** Client 0's next request (each a new sequence number), or the request numbered `seq`. */
let seqs = 0;
const command = (f: 'write' | 'cas' | 'append', key: number, value: Value, seq = ++seqs): Command => ({
  kind: 'client',
  f,
  key,
  value,
  client: 0,
  seq,
});

describe('the state machine', () => {
  it('starts every key at nil', () => {
    expect(emptyStore(3)).toEqual({ values: [null, null, null], sessions: [] });
  });

  it('writes, and leaves the old store alone', () => {
    const before = emptyStore(2);
    const { store, done } = applyCommand(before, command('write', 1, 5));
    expect([store.values, done]).toEqual([[null, 5], true]);
    expect(before.values).toEqual([null, null]);
  });

  it('applies a cas only when the expected value is current', () => {
    const store = applyCommand(emptyStore(1), command('write', 0, 5)).store;
    expect(applyCommand(store, command('cas', 0, [5, 6]))).toMatchObject({ store: { values: [6] }, done: true });
    const missed = applyCommand(store, command('cas', 0, [4, 6]));
    expect(missed).toMatchObject({ store: { values: [5] }, done: false });
    expect(missed.store.values).toBe(store.values);
    expect(applyCommand(emptyStore(1), command('cas', 0, [null, 1])).done).toBe(true);
  });

  it('appends to a list, starting one where there is none', () => {
    let store = applyCommand(emptyStore(1), command('append', 0, 1)).store;
    store = applyCommand(store, command('append', 0, 2)).store;
    expect(store.values).toEqual([[1, 2]]);
    expect(applyCommand(applyCommand(emptyStore(1), command('write', 0, 9)).store, command('append', 0, 3)).store.values).toEqual([[3]]);
  });

  it("applies a client's request once, however many entries carry it (a retry), and none older than its newest", () => {
    const once = applyCommand(emptyStore(1), command('append', 0, 1, 7)).store;
    const twice = applyCommand(once, command('append', 0, 1, 7));
    expect(twice).toEqual({ store: once, done: true });
    expect(applyCommand(once, command('append', 0, 2, 6)).store).toBe(once);
    expect(once).toEqual({ values: [[1]], sessions: [{ seq: 7, done: true }] });
    // A cas that missed misses again: its second copy answers as the first did.
    const missed = applyCommand(once, command('cas', 0, [null, 3], 8));
    expect(missed.done).toBe(false);
    expect(applyCommand(missed.store, command('cas', 0, [[1], 3], 8))).toEqual({ store: missed.store, done: false });
  });

  it('a no-op changes nothing', () => {
    const store = emptyStore(1);
    expect(applyCommand(store, NOOP).store).toBe(store);
  });

  it('replay rebuilds the store from a log prefix', () => {
    const log: Entry[] = [
      { index: 1, epoch: 1, id: 1, command: NOOP },
      { index: 2, epoch: 1, id: 2, command: command('write', 0, 1) },
      { index: 3, epoch: 1, id: 3, command: command('write', 0, 2) },
    ];
    expect(replay(1, log, 2).values).toEqual([1]);
    expect(replay(1, log, 3).values).toEqual([2]);
  });
});
