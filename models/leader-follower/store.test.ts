import { describe, expect, it } from 'vitest';
import type { Value } from '../../history/value.ts';
import type { Command, Entry } from './log.ts';
import { NOOP } from './log.ts';
import { applyCommand, emptyStore, replay } from './store.ts';

const command = (f: 'write' | 'cas' | 'append', key: number, value: Value): Command => ({
  kind: 'client',
  f,
  key,
  value,
  client: 0,
  seq: 1,
});

describe('the state machine', () => {
  it('starts every key at nil', () => {
    expect(emptyStore(3)).toEqual([null, null, null]);
  });

  it('writes, and leaves the old store alone', () => {
    const before = emptyStore(2);
    const { store, done } = applyCommand(before, command('write', 1, 5));
    expect([store, done]).toEqual([[null, 5], true]);
    expect(before).toEqual([null, null]);
  });

  it('applies a cas only when the expected value is current', () => {
    const store = applyCommand(emptyStore(1), command('write', 0, 5)).store;
    expect(applyCommand(store, command('cas', 0, [5, 6]))).toEqual({ store: [6], done: true });
    const missed = applyCommand(store, command('cas', 0, [4, 6]));
    expect(missed).toEqual({ store: [5], done: false });
    expect(missed.store).toBe(store);
    expect(applyCommand(emptyStore(1), command('cas', 0, [null, 1])).done).toBe(true);
  });

  it('appends to a list, starting one where there is none', () => {
    let store = applyCommand(emptyStore(1), command('append', 0, 1)).store;
    store = applyCommand(store, command('append', 0, 2)).store;
    expect(store).toEqual([[1, 2]]);
    expect(applyCommand(applyCommand(emptyStore(1), command('write', 0, 9)).store, command('append', 0, 3)).store).toEqual([[3]]);
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
    expect(replay(1, log, 2)).toEqual([1]);
    expect(replay(1, log, 3)).toEqual([2]);
  });
});
