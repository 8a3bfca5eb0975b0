import type { Value } from '../value.ts';
import { valueKey } from '../value.ts';

// Workload checks compare millions of values: numbers (the common case) stand for themselves, anything
// else for its canonical key. valueKey never returns a number, so 1 and "1" (key "\"1\"") stay apart,
// and equal values (by valueEqual) always get the same id.

export type ValueId = number | string;

export function valueId(value: Value): ValueId {
  return typeof value === 'number' ? value : valueKey(value);
}
