// The keys clients work on: a few active at a time. A register keeps its keys for the whole run; a
// list-append key is retired after a fixed number of appends and a fresh key takes its place, as
// Jepsen's list-append does, so that reads (which return the whole list) stay short however long the run.

/** Appends a list-append key takes before it is retired. */
export const APPENDS_PER_LIST_KEY = 32;

export class KeySpace {
  readonly #active: number[];
  readonly #appends = new Map<number, number>();
  #next: number;

  constructor(
    active: number,
    private readonly appendsPerKey: number = Infinity,
  ) {
    this.#active = Array.from({ length: active }, (_, key) => key);
    this.#next = active;
  }

  /** The key in active slot `slot` (0 .. active-1). */
  key(slot: number): number {
    return this.#active[slot % this.#active.length];
  }

  /** Counts an append to `key`; retires it once it has had its share. */
  appended(key: number): void {
    const count = (this.#appends.get(key) ?? 0) + 1;
    this.#appends.set(key, count);
    if (count < this.appendsPerKey) return;
    // Counts of retired keys are not needed again: memory stays bounded by the active keys.
    this.#appends.delete(key);
    const slot = this.#active.indexOf(key);
    if (slot !== -1) this.#active[slot] = this.#next++;
  }

  /** Every key any client may have touched, for the final reads. */
  everyKey(): number[] {
    return Array.from({ length: this.#next }, (_, key) => key);
  }
}
