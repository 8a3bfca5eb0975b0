// The recorder's clock: monotonic nanoseconds since the run began, as a plain number (2^53 ns is over
// 100 days, so a number stays exact for any run).

export interface OpClock {
  now(): number;
}

export function startOpClock(): OpClock {
  const origin = process.hrtime.bigint();
  return { now: () => Number(process.hrtime.bigint() - origin) };
}
