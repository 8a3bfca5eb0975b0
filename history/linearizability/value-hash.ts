import type { Value } from '../value.ts';
import { valueKey } from '../value.ts';

// 32-bit hashes for values and strings: specs hash their states with these, so equal values
// (by valueEqual) always hash alike.

/** FNV-1a over UTF-16 code units, finished with a murmur mix so low bits spread well. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

export function hashValue(value: Value): number {
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 31) return mix32(value ^ 0x5bd1e995);
  return hashString(valueKey(value));
}

/** Murmur3's finaliser: a bijection on 32-bit integers that spreads every input bit. */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
