import { InputError } from './input-error.ts';

/** The InputError `run` throws; any other error is rethrown, and none at all fails the test. */
export function errorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}
