/** Helpers shared by the op definitions of this family. */
import type { DType, Engine, InputSpec, Shape, Tensor, TensorLike } from '@tapegrad/core';
import {
  DTypeError,
  broadcastShapes,
  convertToTensor,
  engineOf,
  isFloatDtype,
  shapesEqual,
  upcastType,
} from '@tapegrad/core';

/** An op argument: a tensor or anything `tensor()` accepts. */
export type Arg = Tensor | TensorLike;

/** Runs a single-output op on the engine of its first input. */
export function run(
  engine: Engine,
  op: string,
  inputs: Tensor[],
  attrs: Record<string, unknown> = {},
): Tensor {
  return engine.run(op, inputs, attrs) as Tensor;
}

/** Runs a multi-output op. */
export function runMulti(
  engine: Engine,
  op: string,
  inputs: Tensor[],
  attrs: Record<string, unknown> = {},
): Tensor[] {
  const out = engine.run(op, inputs, attrs);
  return Array.isArray(out) ? out : [out];
}

/** Converts one argument to a tensor on `engine` (numbers become float32 unless `dtype`). */
export function toTensor(engine: Engine, x: Arg, arg: string, op: string, dtype?: DType): Tensor {
  return convertToTensor(engine, x, arg, op, dtype);
}

/**
 * Converts the operands of a binary op and makes their dtypes match (bool < int32 < float32 < float64).
 * A plain number takes the tensor operand's dtype, as in tfjs.
 */
export function binaryOperands(
  op: string,
  a: Arg,
  b: Arg,
  names: [string, string] = ['a', 'b'],
): [Engine, Tensor, Tensor] {
  const engine = engineOf(a, b);
  const hintA = typeof a === 'number' && isTensorLikeDtype(b) ? (b as Tensor).dtype : undefined;
  const hintB = typeof b === 'number' && isTensorLikeDtype(a) ? (a as Tensor).dtype : undefined;
  let x = toTensor(engine, a, names[0], op, hintA === 'bool' ? 'float32' : hintA);
  let y = toTensor(engine, b, names[1], op, hintB === 'bool' ? 'float32' : hintB);
  const dt = upcastType(x.dtype, y.dtype);
  if (x.dtype !== dt) x = cast(x, dt);
  if (y.dtype !== dt) y = cast(y, dt);
  return [engine, x, y];
}

function isTensorLikeDtype(v: unknown): boolean {
  return typeof v === 'object' && v !== null && 'dtype' in v && 'engine' in v;
}

/** Casts (no-op when the dtype already matches). */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  return run(x.engine, 'Cast', [x], { dtype });
}

/** Shape rule of broadcasting binary ops. */
export function broadcastRule(opName: string) {
  return (inputs: readonly InputSpec[]): Shape => {
    const [a, b] = inputs;
    return broadcastShapes(opName, a!.shape, b!.shape);
  };
}

/** Requires float inputs (for ops like exp or sqrt that are undefined on integers in tfjs). */
export function assertFloat(op: string, arg: string, dtype: DType): void {
  if (!isFloatDtype(dtype)) {
    throw new DTypeError(
      `${op}: ${arg} must be a float tensor (float32 or float64), got ${dtype}; cast it first`,
    );
  }
}

/**
 * Sums a broadcast gradient back to `shape` (the gradient of broadcasting):
 * leading extra axes and axes where shape has 1 are summed away.
 *
 * @example
 * ```ts
 * // the gradient of a [3] input broadcast to [2, 3] sums over the broadcast axis
 * reduceToShape(ones([2, 3]), [3]).print(); // [2, 2, 2]
 * ```
 */
export function reduceToShape(dy: Tensor, shape: Shape): Tensor {
  if (shapesEqual(dy.shape, shape)) return dy;
  const lead = dy.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < dy.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && dy.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length ? run(dy.engine, 'Sum', [dy], { axes, keepDims: false }) : dy;
  return shapesEqual(summed.shape, shape) ? summed : run(dy.engine, 'Reshape', [summed], { shape });
}

export function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
