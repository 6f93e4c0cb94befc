/** Helpers shared by the shape and indexing ops. */
import type { DType, Engine, Tensor } from '@tapegrad/core';
import {
  ArgumentError,
  DTypeError,
  ShapeError,
  Tensor as TensorClass,
  createTensor,
  engineOf,
  fmtShape,
} from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run, toTensor } from '../../util.js';

/** The permutation that undoes `perm`. */
export function inversePerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/** Whether `perm` is the identity permutation. */
export function isIdentityPerm(perm: readonly number[]): boolean {
  return perm.every((p, i) => p === i);
}

/** Transposes unless `perm` is the identity (then returns `x` itself). */
export function maybeTranspose(x: Tensor, perm: readonly number[]): Tensor {
  return isIdentityPerm(perm) ? x : run(x.engine, 'Transpose', [x], { perm: [...perm] });
}

/** Reshapes unless the shape already matches (then returns `x` itself). */
export function maybeReshape(x: Tensor, shape: readonly number[]): Tensor {
  if (shape.length === x.rank && shape.every((d, i) => d === x.shape[i])) return x;
  return run(x.engine, 'Reshape', [x], { shape: [...shape] });
}

/** Validates that `v` is an integer (an attribute such as a size, a count or a depth). */
export function assertInt(op: string, arg: string, v: unknown, min = -Infinity): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    const range =
      min === -Infinity
        ? 'an integer'
        : min === 0
          ? 'a non-negative integer'
          : `an integer >= ${min}`;
    throw new ArgumentError(`${op}: ${arg} must be ${range}, got ${String(v)}`);
  }
  return v;
}

/** Validates an integer array attribute of a given length (or any length when `length` is undefined). */
export function intList(op: string, arg: string, v: unknown, length?: number): number[] {
  const list = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(list) || !list.every((d) => typeof d === 'number' && Number.isInteger(d))) {
    throw new ArgumentError(`${op}: ${arg} must be an array of integers, got ${describeValue(v)}`);
  }
  if (length !== undefined && list.length !== length) {
    throw new ShapeError(
      `${op}: ${arg} ${fmtShape(list as number[])} must have ${length} entries (one per dimension of x)`,
    );
  }
  return [...(list as number[])];
}

/** Whether `v` is an array (narrowing readonly arrays too). */
export function isArray(v: unknown): v is readonly unknown[] {
  return Array.isArray(v);
}

/** A short description of an argument for error messages. */
export function describeValue(v: unknown): string {
  if (isArray(v)) return `[${v.map((x) => describeValue(x)).join(',')}]`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return String(v);
  return v === null ? 'null' : typeof v === 'object' ? 'an object' : typeof v;
}

function flatValues(v: unknown, out: unknown[]): void {
  if (Array.isArray(v)) for (const x of v) flatValues(x, out);
  else if (ArrayBuffer.isView(v)) out.push(...Array.from(v as unknown as ArrayLike<number>));
  else out.push(v);
}

/**
 * Converts an index argument (gather's indices, segment ids, oneHot's indices) to an int32 tensor.
 * Tensors must already be int32; plain numbers and arrays must hold integers.
 */
export function toIndexTensor(engine: Engine, v: Arg, arg: string, op: string): Tensor {
  if (v instanceof TensorClass) {
    const t = toTensor(engine, v, arg, op);
    if (t.dtype !== 'int32') {
      throw new DTypeError(
        `${op}: ${arg} must be an int32 tensor, got ${t.dtype} (shape ${fmtShape(t.shape)}); cast it with cast(${arg}, 'int32')`,
      );
    }
    return t;
  }
  const flat: unknown[] = [];
  flatValues(v, flat);
  const bad = flat.find((x) => typeof x !== 'number' || !Number.isInteger(x));
  if (bad !== undefined) {
    throw new DTypeError(
      `${op}: ${arg} must hold integers (it is converted to int32), found ${describeValue(bad)}`,
    );
  }
  return createTensor(engine, v, undefined, 'int32', op);
}

/** Converts the data argument `x` of a shape op. */
export function toData(x: Arg, op: string, dtype?: DType): [Engine, Tensor] {
  const engine = engineOf(x);
  return [engine, toTensor(engine, x, 'x', op, dtype)];
}
