// The values a history carries: what Jepsen's EDN and our JSON Lines can both express. Integers beyond
// 2^53 stay exact as bigint; keywords arrive as their names (`:x` -> "x"); sets arrive as arrays.
export type Value = null | boolean | number | bigint | string | readonly Value[] | { readonly [field: string]: Value };

/**
 * How deep values may nest, in every reader: deeper than any history needs, and shallow enough that
 * the code that compares, hashes and prints values (recursively) never runs out of stack.
 */
export const MAX_NESTING = 500;

export type ValueObject = { readonly [field: string]: Value };

export function isValueObject(value: Value): value is ValueObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function valueEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valueEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as ValueObject;
  const bo = b as ValueObject;
  const keys = Object.keys(ao);
  if (keys.length !== Object.keys(bo).length) return false;
  for (const k of keys) if (!(k in bo) || !valueEqual(ao[k], bo[k])) return false;
  return true;
}

/**
 * A canonical string for a value: equal values get equal keys and unequal values different ones
 * (strings are quoted, so 1 and "1" differ; object fields are sorted). Used to intern and hash values.
 */
export function valueKey(value: Value): string {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      if (value === null) return 'nil';
      if (Array.isArray(value)) return `[${value.map(valueKey).join(' ')}]`;
      return `{${Object.keys(value as ValueObject)
        .sort()
        .map((k) => `${JSON.stringify(k)} ${valueKey((value as ValueObject)[k])}`)
        .join(', ')}}`;
  }
}

/** Short human text in Jepsen's notation: nil, 3, "a", [1 2], {x 1}. Long values are cut. */
export function describeValue(value: Value, maxLength = 60): string {
  const text = describeFull(value);
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}

function describeFull(value: Value): string {
  if (value === null) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(describeFull).join(' ')}]`;
  const obj = value as ValueObject;
  return `{${Object.keys(obj)
    .map((k) => `${k} ${describeFull(obj[k])}`)
    .join(', ')}}`;
}
