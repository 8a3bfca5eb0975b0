import type { Value } from '../value.ts';
import { describeBriefly } from './describe-briefly.ts';

/**
 * Interns the page's display strings: each distinct string is stored once and referred to by its
 * position, so a value seen by a thousand reads costs one entry. Position 0 stands for "absent".
 */
export class StringTable {
  readonly strings: (string | null)[] = [null];
  private readonly positions = new Map<string, number>();

  ref(text: string | undefined): number {
    if (text === undefined) return 0;
    let position = this.positions.get(text);
    if (position === undefined) {
      position = this.strings.length;
      this.strings.push(text);
      this.positions.set(text, position);
    }
    return position;
  }

  /** The position of a value's brief description (see describeBriefly). */
  refValue(value: Value): number {
    return this.ref(describeBriefly(value));
  }
}
