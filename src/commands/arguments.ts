import { InvalidArgumentError } from 'commander';
import { InputError } from '../../history/input-error.ts';

// One reading of the counts flags take (--runs, --budget, --workers...), so every command takes the same
// numbers and words the same mistake the same way.

const WHOLE_NUMBER_OF_AT_LEAST_1 = 'a whole number of at least 1';

function readPositiveInteger(text: string): number | undefined {
  const n = Number(text);
  return /^\d+$/.test(text) && n >= 1 && Number.isSafeInteger(n) ? n : undefined;
}

/** A flag's value read after parsing: `--runs must be a whole number of at least 1, got "0"`. */
export function positiveInteger(text: string, flag: string): number {
  const n = readPositiveInteger(text);
  if (n === undefined) throw new InputError(`${flag} must be ${WHOLE_NUMBER_OF_AT_LEAST_1}, got "${text}"`);
  return n;
}

/** As a commander option parser, which names the flag and the argument itself. */
export function positiveIntegerOption(text: string): number {
  const n = readPositiveInteger(text);
  if (n === undefined) throw new InvalidArgumentError(`expected ${WHOLE_NUMBER_OF_AT_LEAST_1}`);
  return n;
}
