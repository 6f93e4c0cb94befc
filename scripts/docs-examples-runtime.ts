/**
 * What an example module calls to check a result comment (scripts/docs-examples.ts rewrites
 * `y.print(); // [4, 6]` into `__expect(y, <[4, 6]>, 'line 3').print();`).
 */

/** A result comment's literal, as parsed by the TypeScript parser. */
export type Expected =
  | { num: number | 'NaN'; tolerance: number; text: string }
  | { str: string }
  | { bool: boolean }
  | { nil: true }
  | { arr: Expected[] }
  | { obj: Record<string, Expected> };

interface TensorLike {
  arraySync(): unknown;
}

const isTensor = (v: unknown): v is TensorLike =>
  typeof v === 'object' && v !== null && typeof (v as TensorLike).arraySync === 'function';

/** Plain data for comparing and printing: tensors as nested arrays, typed arrays as arrays. */
function plain(v: unknown): unknown {
  if (isTensor(v)) return v.arraySync();
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as Float32Array);
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Promise) throw new Error('the value is a Promise: await it');
  if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function show(e: Expected): string {
  if ('num' in e) return e.text;
  if ('str' in e) return JSON.stringify(e.str);
  if ('bool' in e) return String(e.bool);
  if ('nil' in e) return 'null';
  if ('arr' in e) return `[${e.arr.map(show).join(', ')}]`;
  return `{ ${Object.entries(e.obj)
    .map(([k, x]) => `${k}: ${show(x)}`)
    .join(', ')} }`;
}

/** Where `actual` differs from `expected` (a path like `[1][0]`), or null when it matches. */
function mismatch(actual: unknown, e: Expected, path: string): string | null {
  const here = path || 'the value';
  if ('num' in e) {
    if (typeof actual !== 'number') return `${here} is ${typeof actual}, not a number`;
    if (e.num === 'NaN') return Number.isNaN(actual) ? null : `${here} is ${actual}, not NaN`;
    if (!Number.isFinite(e.num)) return actual === e.num ? null : `${here} is ${actual}`;
    return Math.abs(actual - e.num) <= e.tolerance ? null : `${here} is ${actual}, not ${e.text}`;
  }
  if ('str' in e) return actual === e.str ? null : `${here} is ${JSON.stringify(actual)}`;
  if ('bool' in e) return actual === e.bool ? null : `${here} is ${String(actual)}`;
  if ('nil' in e) return actual === null ? null : `${here} is ${String(actual)}, not null`;
  if ('arr' in e) {
    if (!Array.isArray(actual)) return `${here} is not an array`;
    if (actual.length !== e.arr.length)
      return `${here} has ${actual.length} elements, not ${e.arr.length}`;
    for (const [i, x] of e.arr.entries()) {
      const m = mismatch(actual[i], x, `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (typeof actual !== 'object' || actual === null) return `${here} is not an object`;
  // An object literal lists the properties it checks.
  for (const [k, x] of Object.entries(e.obj)) {
    const m = mismatch((actual as Record<string, unknown>)[k], x, `${path}.${k}`);
    if (m) return m;
  }
  return null;
}

/** Returns `value` unchanged, after checking it against the result comment `expected`. */
export function __expect<T>(value: T, expected: Expected, where: string): T {
  const actual = plain(value);
  const m = mismatch(actual, expected, '');
  if (m)
    throw new Error(
      `${where}: the comment says ${show(expected)} but ${m}\n    actual: ${JSON.stringify(actual)}`,
    );
  return value;
}
