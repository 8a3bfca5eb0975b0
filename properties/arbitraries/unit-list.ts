import fc from 'fast-check';

// A list whose shrinking removes before it simplifies. fast-check's own array shrinker reaches item i
// only after trying every simplification of items 0..i-1, which on a schedule of tens of units spends
// thousands of checks before it drops a late, useless step. Here a shrink first tries removing runs of
// units (halves, quarters, ... single units, later ones first), and only then simplifies each unit in
// place with that unit's own shrinker. Everything stays deterministic, so fast-check's replay paths
// (seed + path) still draw the same shrunk list.
//
// Several item arbitraries may be given, with weights (swarm profiles): each list draws one of them
// first and all its items from it, and keeps it while shrinking.

export interface WeightedItems<T> {
  readonly weight: number;
  readonly item: fc.Arbitrary<T>;
}

/**
 * Splits an item into smaller ones that together stand for the same (a unit of many actions into its
 * actions), or null: once removing whole items gets no further, a split item's parts can be removed
 * one by one.
 */
type Split<T> = (item: T) => readonly T[] | null;

/** Simpler forms of a split part (which has no shrinking context of its own), simplest first. */
type Simplify<T> = (item: T) => readonly T[];

export interface Splitting<T> {
  readonly split: Split<T>;
  readonly simplify: Simplify<T>;
}

const NO_SPLITTING = { split: () => null, simplify: () => [] } as const;

/** The context of a split part: its simpler forms come from `simplify`, not from an arbitrary. */
const SPLIT_PART = Symbol('split part');

/** A list of `item`s (or of one weighted choice of item arbitraries per list) of up to `maxLength`, shrinking by removal first. */
export function unitListArbitrary<T>(
  item: fc.Arbitrary<T> | readonly WeightedItems<T>[],
  maxLength: number,
  splitting?: Splitting<T>,
): fc.Arbitrary<T[]> {
  const choices = item instanceof fc.Arbitrary ? [{ weight: 1, item }] : item;
  if (choices.length === 0 || choices.some((c) => !Number.isInteger(c.weight) || c.weight < 1))
    throw new RangeError('item arbitraries need whole weights of at least 1');
  return new UnitList(choices, fc.nat({ max: maxLength }), splitting ?? NO_SPLITTING);
}

interface ListContext<T> {
  readonly choice: number;
  readonly items: readonly fc.Value<T>[];
}

class UnitList<T> extends fc.Arbitrary<T[]> {
  private readonly total: number;

  constructor(
    private readonly choices: readonly WeightedItems<T>[],
    private readonly length: fc.Arbitrary<number>,
    private readonly splitting: Splitting<T>,
  ) {
    super();
    this.total = choices.reduce((sum, c) => sum + c.weight, 0);
  }

  override generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T[]> {
    // One item arbitrary draws nothing to choose it, so a list without profiles is drawn as it always was.
    const choice = this.choices.length === 1 ? 0 : this.pick(mrng.nextInt(0, this.total - 1));
    const item = this.choices[choice].item;
    const length = this.length.generate(mrng, biasFactor).value;
    const items: fc.Value<T>[] = [];
    for (let i = 0; i < length; i++) items.push(item.generate(mrng, biasFactor));
    return listValue(choice, items);
  }

  private pick(ticket: number): number {
    let left = ticket;
    for (let i = 0; i < this.choices.length; i++) {
      left -= this.choices[i].weight;
      if (left < 0) return i;
    }
    return this.choices.length - 1;
  }

  override canShrinkWithoutContext(_value: unknown): _value is T[] {
    // Units are drawn through mapped arbitraries that cannot be shrunk without the context they came with.
    return false;
  }

  override shrink(_value: T[], context: unknown): fc.Stream<fc.Value<T[]>> {
    if (!isListContext<T>(context)) return fc.Stream.nil();
    return fc.stream(this.candidates(context));
  }

  private *candidates({ choice, items }: ListContext<T>): IterableIterator<fc.Value<T[]>> {
    for (let size = items.length; size >= 1; size = size === 1 ? 0 : Math.ceil(size / 2)) {
      for (let start = items.length - size; start >= 0; start -= size) {
        yield listValue(choice, [...items.slice(0, start), ...items.slice(start + size)]);
      }
      if (size === 1) break;
    }
    // Later items first, as removal goes. A part carries no context: it is simplified by `simplify`.
    for (let i = items.length - 1; i >= 0; i--) {
      const parts = this.splitting.split(items[i].value_);
      if (parts === null) continue;
      yield listValue(choice, [...items.slice(0, i), ...parts.map((part) => new fc.Value(part, SPLIT_PART)), ...items.slice(i + 1)]);
    }
    const item = this.choices[choice].item;
    for (let i = 0; i < items.length; i++) {
      const simplerOnes =
        items[i].context === SPLIT_PART
          ? this.splitting.simplify(items[i].value_).map((part) => new fc.Value(part, SPLIT_PART))
          : item.shrink(items[i].value_, items[i].context);
      for (const simpler of simplerOnes) {
        yield listValue(choice, [...items.slice(0, i), simpler, ...items.slice(i + 1)]);
      }
    }
  }
}

function isListContext<T>(context: unknown): context is ListContext<T> {
  return typeof context === 'object' && context !== null && 'choice' in context && Array.isArray((context as ListContext<T>).items);
}

/** The list's value, with the item arbitrary it was drawn from and its items' values (and their contexts) as its context. */
function listValue<T>(choice: number, items: readonly fc.Value<T>[]): fc.Value<T[]> {
  return new fc.Value(
    items.map((item) => item.value_),
    { choice, items } satisfies ListContext<T>,
  );
}
