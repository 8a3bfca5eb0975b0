// Binary search shared by the detectors and the workload checks.

/** The first index whose value is > x in an ascending array (its length when none). */
export function firstGreater(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
