// Numbers and durations as the page shows them.

/** Nanoseconds (the recorders' clock) in the largest unit that keeps them above 1, four digits. */
export function formatDuration(nanos: number): string {
  const magnitude = Math.abs(nanos);
  if (magnitude < 1e3) return `${fourDigits(nanos)} ns`;
  if (magnitude < 1e6) return `${fourDigits(nanos / 1e3)} µs`;
  if (magnitude < 1e9) return `${fourDigits(nanos / 1e6)} ms`;
  return `${fourDigits(nanos / 1e9)} s`;
}

function fourDigits(n: number): string {
  return String(Number(n.toPrecision(4)));
}

export function formatCount(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
