import fc from 'fast-check';

// A list whose shrinking removes before it simplifies. fast-check's own array shrinker reaches item i
// only after trying every simplification of items 0..i-1, which on a schedule of tens of units spends
// thousands of checks before it drops a late, useless step. Here a shrink first tries removing runs of
// units (halves, quarters, ... single units, later ones first), and only then simplifies each unit in
// place with that unit's own shrinker. Everything stays deterministic, so fast-check's replay paths
// (seed + path) still draw the same shrunk list.

/** A list of `item`s of up to `maxLength`, shrinking by removal first. */
export function unitListArbitrary<T>(item: fc.Arbitrary<T>, maxLength: number): fc.Arbitrary<T[]> {
  return new UnitList(item, fc.nat({ max: maxLength }));
}

class UnitList<T> extends fc.Arbitrary<T[]> {
  constructor(
    private readonly item: fc.Arbitrary<T>,
    private readonly length: fc.Arbitrary<number>,
  ) {
    super();
  }

  override generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T[]> {
    const length = this.length.generate(mrng, biasFactor).value;
    const items: fc.Value<T>[] = [];
    for (let i = 0; i < length; i++) items.push(this.item.generate(mrng, biasFactor));
    return listValue(items);
  }

  override canShrinkWithoutContext(_value: unknown): _value is T[] {
    // Units are drawn through mapped arbitraries that cannot be shrunk without the context they came with.
    return false;
  }

  override shrink(_value: T[], context: unknown): fc.Stream<fc.Value<T[]>> {
    if (!Array.isArray(context)) return fc.Stream.nil();
    return fc.stream(this.candidates(context as fc.Value<T>[]));
  }

  private *candidates(items: readonly fc.Value<T>[]): IterableIterator<fc.Value<T[]>> {
    for (let size = items.length; size >= 1; size = size === 1 ? 0 : Math.ceil(size / 2)) {
      for (let start = items.length - size; start >= 0; start -= size) {
        yield listValue([...items.slice(0, start), ...items.slice(start + size)]);
      }
      if (size === 1) break;
    }
    for (let i = 0; i < items.length; i++) {
      for (const simpler of this.item.shrink(items[i].value_, items[i].context)) {
        yield listValue([...items.slice(0, i), simpler, ...items.slice(i + 1)]);
      }
    }
  }
}

/** The list's value, with its items' values (and their contexts) as its context. */
function listValue<T>(items: readonly fc.Value<T>[]): fc.Value<T[]> {
  return new fc.Value(
    items.map((item) => item.value_),
    items,
  );
}
