// A segment tree of maxima over a fixed-length array: point updates and "the first (or last) position
// in a range holding at least t" in O(log n). Detectors use it to answer, for each of millions of
// reads, "which later read saw something newer?" without a quadratic scan.

export class MaxTree {
  private readonly size: number;
  private readonly tree: Float64Array;

  constructor(values: ArrayLike<number> | number) {
    const length = typeof values === 'number' ? values : values.length;
    let size = 1;
    while (size < Math.max(1, length)) size <<= 1;
    this.size = size;
    this.tree = new Float64Array(2 * size).fill(-Infinity);
    if (typeof values !== 'number') {
      for (let i = 0; i < length; i++) this.tree[size + i] = values[i];
      for (let i = size - 1; i >= 1; i--) this.tree[i] = Math.max(this.tree[2 * i], this.tree[2 * i + 1]);
    }
  }

  set(index: number, value: number): void {
    let i = index + this.size;
    this.tree[i] = value;
    for (i >>= 1; i >= 1; i >>= 1) this.tree[i] = Math.max(this.tree[2 * i], this.tree[2 * i + 1]);
  }

  /** The smallest index >= from whose value is >= threshold, or -1. */
  firstAtLeast(from: number, threshold: number): number {
    return this.first(1, 0, this.size, Math.max(0, from), threshold);
  }

  /** The largest index <= upTo whose value is >= threshold, or -1. */
  lastAtLeast(upTo: number, threshold: number): number {
    return this.last(1, 0, this.size, Math.min(this.size - 1, upTo), threshold);
  }

  private first(node: number, lo: number, hi: number, from: number, threshold: number): number {
    if (hi <= from || this.tree[node] < threshold) return -1;
    if (hi - lo === 1) return lo;
    const mid = (lo + hi) >> 1;
    const left = this.first(2 * node, lo, mid, from, threshold);
    return left >= 0 ? left : this.first(2 * node + 1, mid, hi, from, threshold);
  }

  private last(node: number, lo: number, hi: number, upTo: number, threshold: number): number {
    if (lo > upTo || this.tree[node] < threshold) return -1;
    if (hi - lo === 1) return lo;
    const mid = (lo + hi) >> 1;
    const right = this.last(2 * node + 1, mid, hi, upTo, threshold);
    return right >= 0 ? right : this.last(2 * node, lo, mid, upTo, threshold);
  }
}
