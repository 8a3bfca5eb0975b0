import { describe, expect, it } from 'vitest';
import { ConfigMemo, InfoSets } from './config-memo.ts';

describe('the configuration memo', () => {
  it('tells apart configurations whose hashes collide', () => {
    const okBits = new Uint32Array(2);
    const windowEnd = new Int32Array([2, 2, 2]);
    const infoBits = new Uint32Array(1);
    const infoSets = new InfoSets(1);
    const memo = new ConfigMemo(okBits, infoBits, infoSets, windowEnd, 16);
    okBits[0] = 0b01;
    expect(memo.add(7, 9, 0, 0, 0)).toBe(true);
    okBits[0] = 0b10;
    expect(memo.add(7, 9, 0, 0, 0)).toBe(true);
    okBits[1] = 1;
    expect(memo.add(7, 9, 0, 0, 0)).toBe(true);
    expect(memo.add(7, 9, 1, 0, 0)).toBe(true);
    expect(memo.add(7, 9, 1, 0, 1)).toBe(true);
    expect(memo.add(7, 9, 1, 0, 1)).toBe(false);
    okBits[1] = 0;
    okBits[0] = 0b01;
    expect(memo.add(7, 9, 0, 0, 0)).toBe(false);
    expect(memo.size).toBe(5);
  });

  it('counts a configuration as explored when one with the same ok part and state used fewer info ops', () => {
    const okBits = new Uint32Array(1);
    const infoBits = new Uint32Array(1);
    const infoSets = new InfoSets(1);
    const memo = new ConfigMemo(okBits, infoBits, infoSets, new Int32Array([1, 1]), 16);
    const intern = (bits: number) => {
      infoBits[0] = bits;
      return infoSets.find(bits, 0, infoBits) >= 0 ? infoSets.find(bits, 0, infoBits) : infoSets.add(bits, 0, infoBits);
    };
    okBits[0] = 1;
    expect(memo.add(3, 3, 0, intern(0b01), 0)).toBe(true);
    // More info ops used, same ok part and state: nothing new to find there.
    expect(memo.add(3, 3, 0, intern(0b11), 0)).toBe(false);
    // Fewer or other info ops: new ground.
    expect(memo.add(3, 3, 0, intern(0b00), 0)).toBe(true);
    expect(memo.add(3, 3, 0, intern(0b10), 0)).toBe(false);
    expect(memo.add(3, 3, 1, intern(0b10), 0)).toBe(true);
    okBits[0] = 3;
    expect(memo.add(3, 3, 0, intern(0b11), 0)).toBe(true);
  });

  it('keeps every entry findable as it grows', () => {
    const okBits = new Uint32Array(1);
    const memo = new ConfigMemo(okBits, new Uint32Array(0), new InfoSets(0), new Int32Array([1, 1]), 16);
    for (let i = 0; i < 5000; i++) {
      okBits[0] = i;
      expect(memo.add(i * 31, i, 0, 0, 0)).toBe(true);
    }
    for (let i = 0; i < 5000; i++) {
      okBits[0] = i;
      expect(memo.add(i * 31, i, 0, 0, 0)).toBe(false);
    }
  });
});

describe('the interned info sets', () => {
  it('gives equal sets one id and colliding unequal sets different ids', () => {
    const sets = new InfoSets(2);
    const a = sets.add(1, 1, new Uint32Array([1, 0]));
    expect(sets.find(1, 1, new Uint32Array([1, 0]))).toBe(a);
    expect(sets.find(1, 1, new Uint32Array([1, 1]))).toBe(-1);
    const b = sets.add(1, 1, new Uint32Array([1, 1]));
    expect(b).not.toBe(a);
    for (let i = 0; i < 500; i++) sets.add(i, 0, new Uint32Array([i, 7]));
    expect(sets.find(1, 1, new Uint32Array([1, 1]))).toBe(b);
  });
});
