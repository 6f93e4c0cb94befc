import { ShapeError, fmtShape } from './errors.js';

export type Shape = readonly number[];

/**
 * Number of elements of a tensor of `shape` (1 for a scalar).
 *
 * @example
 * ```ts
 * console.log(sizeFromShape([2, 3, 4])); // 24
 * console.log(sizeFromShape([])); // 1
 * ```
 */
export function sizeFromShape(shape: Shape): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/**
 * True when both shapes have the same rank and dimensions.
 *
 * @example
 * ```ts
 * console.log(shapesEqual([2, 3], [2, 3])); // true
 * ```
 */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Row-major strides of `shape`.
 *
 * @example
 * ```ts
 * console.log(stridesOf([2, 3, 4])); // [12, 4, 1]
 * ```
 */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/**
 * NumPy broadcasting of two shapes; throws a ShapeError naming `op`.
 *
 * @example
 * ```ts
 * console.log(broadcastShapes('add', [2, 1], [3])); // [2, 3]
 * ```
 */
export function broadcastShapes(op: string, a: Shape, b: Shape, names = ['a', 'b']): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes of ${names[0]} ${fmtShape(a)} and ${names[1]} ${fmtShape(b)} cannot be broadcast ` +
          `(dimension ${i - rank} is ${da} vs ${db}; sizes must match or one of them be 1)`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Validates `axis` against `rank` and maps negatives to positives.
 * Throws a ShapeError naming the op and the valid range.
 *
 * @example
 * ```ts
 * console.log(normalizeAxis('sum', -1, 3)); // 2
 * ```
 */
export function normalizeAxis(op: string, axis: number, rank: number, arg = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new ShapeError(
      `${op}: ${arg} ${axis} is out of range for a tensor of rank ${rank} (valid: ${-rank}..${Math.max(rank - 1, 0)})`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Normalizes an axis list (undefined means all axes); rejects duplicates.
 *
 * @example
 * ```ts
 * console.log(normalizeAxes('sum', [-1, 0], 3)); // [0, 2]
 * ```
 */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | undefined | null,
  rank: number,
): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const out = list.map((a) => normalizeAxis(op, a, rank));
  if (new Set(out).size !== out.length) {
    throw new ShapeError(`${op}: axis [${list.join(',')}] names the same axis twice`);
  }
  return out.sort((x, y) => x - y);
}

/**
 * Throws a ShapeError naming `op` unless every dimension is a non-negative integer.
 *
 * @example
 * ```ts
 * try {
 *   assertValidShape('myOp', [2, -1]);
 * } catch (e) {
 *   console.log(e instanceof ShapeError); // true
 * }
 * ```
 */
export function assertValidShape(op: string, shape: Shape, arg = 'shape'): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${op}: ${arg} ${fmtShape(shape)} must contain non-negative integers`);
    }
  }
}
