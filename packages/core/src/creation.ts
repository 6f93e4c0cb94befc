import type { DType, TypedArray } from './dtype.js';
import { dtypeOfTypedArray, makeTypedArray, toTypedArray } from './dtype.js';
import type { Engine } from './engine.js';
import { ArgumentError, ShapeError, fmtShape } from './errors.js';
import { Random } from './random.js';
import type { Shape } from './shape.js';
import { assertValidShape, sizeFromShape } from './shape.js';
import type { NestedArray } from './tensor.js';
import { Tensor } from './tensor.js';

/** Anything `tensor()` accepts. */
export type TensorLike = TypedArray | NestedArray | readonly NestedArray[];

const DTYPE_SET = new Set<string>(['float32', 'int32', 'bool', 'float64']);

function assertDtype(op: string, dtype: unknown): asserts dtype is DType {
  if (typeof dtype !== 'string' || !DTYPE_SET.has(dtype)) {
    throw new ArgumentError(
      `${op}: dtype must be one of float32, int32, bool, float64; got ${String(dtype)}`,
    );
  }
}

function inferShapeOf(op: string, values: unknown): number[] {
  const shape: number[] = [];
  let v = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

function flatten(
  op: string,
  values: unknown,
  shape: number[],
  dim: number,
  out: (number | boolean)[],
): void {
  if (dim === shape.length) {
    if (typeof values !== 'number' && typeof values !== 'boolean') {
      throw new ArgumentError(
        `${op}: values must be numbers or booleans, found ${Array.isArray(values) ? 'a nested array where a number was expected (ragged array?)' : typeof values}`,
      );
    }
    out.push(values);
    return;
  }
  if (!Array.isArray(values) || values.length !== shape[dim]) {
    throw new ShapeError(
      `${op}: values are ragged: expected ${shape[dim]} elements at depth ${dim} (inferred shape ${fmtShape(shape)}), found ${Array.isArray(values) ? values.length : 'a scalar'}`,
    );
  }
  for (const x of values) flatten(op, x, shape, dim + 1, out);
}

/**
 * Creates a tensor from nested arrays, a flat array with `shape`, a typed array or a scalar.
 *
 * @example
 * ```ts
 * const engine = getDefaultEngine();
 * createTensor(engine, [1, 2, 3, 4], [2, 2]).print(); // [[1, 2], [3, 4]]
 * ```
 */
export function createTensor(
  engine: Engine,
  values: TensorLike,
  shape?: Shape,
  dtype?: DType,
  op = 'tensor',
): Tensor {
  if (dtype !== undefined) assertDtype(op, dtype);
  if (shape !== undefined) assertValidShape(op, shape);
  let flat: ArrayLike<number | boolean>;
  let inferred: number[];
  let dt: DType;
  if (ArrayBuffer.isView(values)) {
    flat = values;
    inferred = [flat.length];
    dt = dtype ?? dtypeOfTypedArray(values);
  } else if (typeof values === 'number' || typeof values === 'boolean') {
    flat = [values];
    inferred = [];
    dt = dtype ?? (typeof values === 'boolean' ? 'bool' : 'float32');
  } else if (Array.isArray(values)) {
    inferred = inferShapeOf(op, values);
    const out: (number | boolean)[] = [];
    flatten(op, values, inferred, 0, out);
    flat = out;
    dt = dtype ?? (typeof out[0] === 'boolean' ? 'bool' : 'float32');
  } else {
    throw new ArgumentError(
      `${op}: values must be a number, boolean, (nested) array or typed array; got ${typeof values}`,
    );
  }
  const finalShape = shape ?? inferred;
  const size = sizeFromShape(finalShape);
  if (flat.length !== size) {
    // A scalar fills the requested shape (tfjs does the same).
    if (flat.length === 1 && shape !== undefined) {
      const filled = makeTypedArray(dt, size);
      filled.fill(Number(flat[0]));
      return engine.makeTensor(filled, finalShape, dt, op);
    }
    throw new ShapeError(
      `${op}: ${flat.length} values do not fill shape ${fmtShape(finalShape)} (${size} elements)`,
    );
  }
  return engine.makeTensor(toTypedArray(flat, dt), finalShape, dt, op);
}

/**
 * A tensor of `shape` filled with `value` on `engine` (what zeros/ones/fill use).
 *
 * @example
 * ```ts
 * createFill(getDefaultEngine(), [3], 0.5).print(); // [0.5, 0.5, 0.5]
 * ```
 */
export function createFill(
  engine: Engine,
  shape: Shape,
  value: number,
  dtype: DType = 'float32',
  op = 'fill',
): Tensor {
  assertDtype(op, dtype);
  assertValidShape(op, shape);
  return engine.makeFilled(shape, value, dtype, op);
}

/**
 * Values start, start+step, ... below stop (above it for a negative step) on `engine`.
 *
 * @example
 * ```ts
 * createRange(getDefaultEngine(), 0, 1, 0.25).print(); // [0, 0.25, 0.5, 0.75]
 * ```
 */
export function createRange(
  engine: Engine,
  start: number,
  stop: number,
  step = 1,
  dtype: DType = 'float32',
): Tensor {
  if (step === 0 || !Number.isFinite(step))
    throw new ArgumentError(`range: step must be a non-zero finite number, got ${step}`);
  const n = Math.max(Math.ceil((stop - start) / step), 0);
  const values = makeTypedArray(dtype, n);
  for (let i = 0; i < n; i++) values[i] = start + i * step;
  return engine.makeTensor(values, [n], dtype, 'range');
}

/**
 * `num` evenly spaced float32 values from start to stop inclusive, on `engine`.
 *
 * @example
 * ```ts
 * createLinspace(getDefaultEngine(), 1, 2, 3).print(); // [1, 1.5, 2]
 * ```
 */
export function createLinspace(engine: Engine, start: number, stop: number, num: number): Tensor {
  if (!Number.isInteger(num) || num < 1)
    throw new ArgumentError(`linspace: num must be a positive integer, got ${num}`);
  const values = new Float32Array(num);
  const step = num === 1 ? 0 : (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) values[i] = start + i * step;
  return engine.makeTensor(values, [num], 'float32', 'linspace');
}

/**
 * Identity matrices of numRows × numColumns (optionally batched) on `engine`.
 *
 * @example
 * ```ts
 * createEye(getDefaultEngine(), 2).print(); // [[1, 0], [0, 1]]
 * ```
 */
export function createEye(
  engine: Engine,
  numRows: number,
  numColumns = numRows,
  batchShape: readonly number[] = [],
  dtype: DType = 'float32',
): Tensor {
  const shape = [...batchShape, numRows, numColumns];
  assertValidShape('eye', shape);
  const values = makeTypedArray(dtype, sizeFromShape(shape));
  const block = numRows * numColumns;
  for (let b = 0; b < sizeFromShape(batchShape); b++) {
    for (let i = 0; i < Math.min(numRows, numColumns); i++)
      values[b * block + i * numColumns + i] = 1;
  }
  return engine.makeTensor(values, shape, dtype, 'eye');
}

/** `randomX(shape, a, b, seed)`; also accepts tfjs's `(shape, a, b, dtype, seed)`. */
function seedAndDtype(
  op: string,
  dtypeOrSeed: DType | number | undefined,
  seed: number | undefined,
): [DType, number | undefined] {
  if (typeof dtypeOrSeed === 'string') {
    assertDtype(op, dtypeOrSeed);
    return [dtypeOrSeed, seed];
  }
  return ['float32', dtypeOrSeed];
}

/**
 * Seeded normal samples on `engine`; see `randomNormal`.
 *
 * @example
 * ```ts
 * const x = createRandomNormal(getDefaultEngine(), [1000], 5, 0.1, 1);
 * x.mean().sub(5).abs().less(0.05).print(); // true
 * ```
 */
export function createRandomNormal(
  engine: Engine,
  shape: Shape,
  mean = 0,
  stdDev = 1,
  dtypeOrSeed?: DType | number,
  seed?: number,
): Tensor {
  const [dtype, s] = seedAndDtype('randomNormal', dtypeOrSeed, seed);
  assertValidShape('randomNormal', shape);
  const rng = new Random(s);
  const values = makeTypedArray(dtype, sizeFromShape(shape));
  for (let i = 0; i < values.length; i++) values[i] = mean + stdDev * rng.normal();
  return engine.makeTensor(values, shape, dtype, 'randomNormal');
}

/**
 * Seeded uniform samples in [minval, maxval) on `engine`; see `randomUniform`.
 *
 * @example
 * ```ts
 * const x = createRandomUniform(getDefaultEngine(), [4], 0, 10, 'int32', 3);
 * console.log(x.dtype); // 'int32'
 * ```
 */
export function createRandomUniform(
  engine: Engine,
  shape: Shape,
  minval = 0,
  maxval = 1,
  dtypeOrSeed?: DType | number,
  seed?: number,
): Tensor {
  const [dtype, s] = seedAndDtype('randomUniform', dtypeOrSeed, seed);
  assertValidShape('randomUniform', shape);
  const rng = new Random(s);
  const values = makeTypedArray(dtype, sizeFromShape(shape));
  for (let i = 0; i < values.length; i++) {
    const u = minval + (maxval - minval) * rng.uniform();
    values[i] = dtype === 'int32' ? Math.floor(u) : u;
  }
  return engine.makeTensor(values, shape, dtype, 'randomUniform');
}

/**
 * Converts an op argument to a tensor: tensors are checked (not disposed, same engine),
 * numbers and arrays become tensors of `dtype` (default: float32, or bool for booleans).
 *
 * @example
 * ```ts
 * const t = convertToTensor(getDefaultEngine(), [1, 2], 'x', 'myOp');
 * t.print(); // [1, 2]
 * ```
 */
export function convertToTensor(
  engine: Engine,
  x: unknown,
  arg: string,
  op: string,
  dtype?: DType,
): Tensor {
  if (x instanceof Tensor) {
    engine.assertUsable(x, op, arg);
    return x;
  }
  if (
    typeof x === 'number' ||
    typeof x === 'boolean' ||
    Array.isArray(x) ||
    ArrayBuffer.isView(x)
  ) {
    return createTensor(
      engine,
      x as TensorLike,
      undefined,
      typeof x === 'boolean' ? 'bool' : dtype,
      op,
    );
  }
  throw new ArgumentError(
    `${op}: argument '${arg}' must be a Tensor, number or array; got ${x === null ? 'null' : typeof x}`,
  );
}
