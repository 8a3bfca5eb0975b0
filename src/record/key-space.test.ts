import { expect, test } from 'vitest';
import { KeySpace } from './key-space.ts';

test('a list key is retired after its share of appends and a fresh key takes its slot', () => {
  const keys = new KeySpace(2, 3);
  expect([keys.key(0), keys.key(1)]).toEqual([0, 1]);
  for (let i = 0; i < 3; i++) keys.appended(keys.key(1));
  expect([keys.key(0), keys.key(1)]).toEqual([0, 2]);
  expect(keys.everyKey()).toEqual([0, 1, 2]);
});

test('register keys are never retired', () => {
  const keys = new KeySpace(1);
  for (let i = 0; i < 1000; i++) keys.appended(keys.key(0));
  expect(keys.key(0)).toBe(0);
  expect(keys.everyKey()).toEqual([0]);
});
