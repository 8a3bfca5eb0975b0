import type { Value } from '../value.ts';
import { describeValue } from '../value.ts';

// The page shows a value in a bar label and a tooltip, never in full: a list-append read can hold a
// million elements, and describing all of them for every read would make rendering quadratic.
const SHOWN_ELEMENTS = 32;
const SHOWN_CHARACTERS = 80;

export function describeBriefly(value: Value): string {
  if (Array.isArray(value) && value.length > SHOWN_ELEMENTS) {
    const head = describeValue(value.slice(0, SHOWN_ELEMENTS), SHOWN_CHARACTERS);
    const open = head.endsWith(']') ? head.slice(0, -1) : head.slice(0, -1).trimEnd();
    return `${open} … +${value.length - SHOWN_ELEMENTS} more]`;
  }
  return describeValue(value, SHOWN_CHARACTERS);
}
