// Lowe's memo for the Wing–Gong search: every configuration (set of linearized operations, spec state)
// already explored. It must be exact: a hash collision that pruned an unexplored configuration could turn
// a valid history into an "invalid" one. So a 64-bit Zobrist hash only picks the bucket and rejects
// most mismatches fast; every hit is confirmed by comparing a compact exact encoding.
//
// The encoding rests on how linearized sets look. Number the operations that completed ok by invocation
// (ok ranks) and let `lo` be the first one not yet linearized. Every ok op below `lo` is linearized; no ok
// op invoked after `lo` returned can be (real time forbids it). So the ok part of a set is `lo` plus the
// few bitset words from `lo` to the last op invoked before `lo` returned: about as many bits as there are
// concurrent clients. Indeterminate (:info) operations do not fit that pattern (one may stay unlinearized
// forever), so their part is a bitset of its own, interned: configurations share it by id.
//
// The info part is compared by inclusion, not equality: a configuration that has used more info ops
// than an explored one with the same ok part and state has fewer ways on (an info op may always be left
// unused), so if the explored one could not finish, neither can it. The hash covers only the ok part and
// the state, so both land in one bucket.

/**
 * A starting size for a memo over `operations` operations: a power of two from 16 to 1,024, so a key of
 * four operations (of a history of thousands of keys) does not set up what a key of thousands needs.
 */
export function memoCapacity(operations: number): number {
  return Math.min(1024, Math.max(16, 2 ** Math.ceil(Math.log2(Math.max(1, operations) * 4))));
}

/** An Int32Array that grows; entries are appended and addressed by offset. */
class Arena {
  data: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.data = new Int32Array(capacity);
  }

  reserve(size: number): number {
    const offset = this.length;
    if (offset + size > this.data.length) {
      const grown = new Int32Array(Math.max(this.data.length * 2, offset + size));
      grown.set(this.data.subarray(0, offset));
      this.data = grown;
    }
    this.length += size;
    return offset;
  }
}

/** A chained hash table of arena offsets; entries keep [next, hashLo, ...] at their start. */
class Buckets {
  heads: Int32Array;
  count = 0;

  constructor(capacity: number) {
    this.heads = new Int32Array(capacity).fill(-1);
  }

  head(hashLo: number): number {
    return this.heads[hashLo & (this.heads.length - 1)];
  }

  /** Links the entry at `offset` (whose slot 0 is its next link) into its bucket. */
  link(arena: Arena, offset: number, hashLo: number, entrySize: (offset: number) => number): void {
    if (++this.count > this.heads.length) {
      // The rehash relinks every entry in the arena, this new one included: linking it again would
      // point it at itself and make every later lookup in its bucket loop for ever.
      this.rehash(arena, entrySize);
      return;
    }
    const bucket = hashLo & (this.heads.length - 1);
    arena.data[offset] = this.heads[bucket];
    this.heads[bucket] = offset;
  }

  private rehash(arena: Arena, entrySize: (offset: number) => number): void {
    const heads = new Int32Array(this.heads.length * 2).fill(-1);
    const mask = heads.length - 1;
    const data = arena.data;
    for (let offset = 0; offset < arena.length; offset += entrySize(offset)) {
      const bucket = data[offset + 1] & mask;
      data[offset] = heads[bucket];
      heads[bucket] = offset;
    }
    this.heads = heads;
  }
}

/** Interned bitsets over the indeterminate operations: equal sets get the same id. */
export class InfoSets {
  private readonly arena = new Arena(64);
  private readonly buckets = new Buckets(16);
  private readonly entrySize: () => number;

  constructor(private readonly words: number) {
    const size = 3 + words;
    this.entrySize = () => size;
  }

  /** The id of the set `bits` (hashed as hashLo/hashHi), or -1 if it was never added. */
  find(hashLo: number, hashHi: number, bits: Uint32Array): number {
    const data = this.arena.data;
    for (let at = this.buckets.head(hashLo); at !== -1; at = data[at]) {
      if (data[at + 1] !== hashLo || data[at + 2] !== hashHi) continue;
      let same = true;
      for (let w = 0; w < this.words; w++) {
        if (data[at + 3 + w] !== (bits[w] | 0)) {
          same = false;
          break;
        }
      }
      if (same) return at;
    }
    return -1;
  }

  /** Whether the set `id` is a subset of `bits`. */
  within(id: number, bits: Uint32Array): boolean {
    const data = this.arena.data;
    for (let w = 0; w < this.words; w++) if ((data[id + 3 + w] & ~bits[w]) !== 0) return false;
    return true;
  }

  add(hashLo: number, hashHi: number, bits: Uint32Array): number {
    const at = this.arena.reserve(3 + this.words);
    const data = this.arena.data;
    data[at + 1] = hashLo;
    data[at + 2] = hashHi;
    for (let w = 0; w < this.words; w++) data[at + 3 + w] = bits[w];
    this.buckets.link(this.arena, at, hashLo, this.entrySize);
    return at;
  }
}

/** The explored configurations: (ok part as lo + window words, state id, info set id). */
export class ConfigMemo {
  private readonly arena: Arena;
  private readonly buckets: Buckets;
  private readonly entrySize = (offset: number) => {
    const lo = this.arena.data[offset + 5];
    return 6 + this.windowEnd[lo] - (lo >> 5);
  };

  /**
   * @param okBits the search's live bitset of linearized ok ranks, read when adding.
   * @param infoBits the search's live bitset of linearized info ops, read when adding.
   * @param windowEnd for each `lo`, one past the last word of okBits that can hold a linearized op.
   * @param capacity the starting size of the arena and the buckets (see memoCapacity); both grow.
   */
  constructor(
    private readonly okBits: Uint32Array,
    private readonly infoBits: Uint32Array,
    private readonly infoSets: InfoSets,
    private readonly windowEnd: Int32Array,
    capacity: number,
  ) {
    this.arena = new Arena(capacity);
    this.buckets = new Buckets(capacity);
  }

  get size(): number {
    return this.buckets.count;
  }

  /**
   * Adds the configuration (the live okBits with this lo, the state, the live infoBits interned as
   * infoSet), hashed by its ok part and state; false if it or one it includes is already there.
   */
  add(hashLo: number, hashHi: number, state: number, infoSet: number, lo: number): boolean {
    const first = lo >> 5;
    const end = this.windowEnd[lo];
    const okBits = this.okBits;
    let data = this.arena.data;
    for (let at = this.buckets.head(hashLo); at !== -1; at = data[at]) {
      if (data[at + 1] !== hashLo || data[at + 2] !== hashHi || data[at + 3] !== state || data[at + 5] !== lo) continue;
      let same = true;
      for (let w = first; w < end; w++) {
        if (data[at + 6 + w - first] !== (okBits[w] | 0)) {
          same = false;
          break;
        }
      }
      if (same && (data[at + 4] === infoSet || this.infoSets.within(data[at + 4], this.infoBits))) return false;
    }
    const at = this.arena.reserve(6 + end - first);
    data = this.arena.data;
    data[at + 1] = hashLo;
    data[at + 2] = hashHi;
    data[at + 3] = state;
    data[at + 4] = infoSet;
    data[at + 5] = lo;
    for (let w = first; w < end; w++) data[at + 6 + w - first] = okBits[w];
    this.buckets.link(this.arena, at, hashLo, this.entrySize);
    return true;
  }
}
