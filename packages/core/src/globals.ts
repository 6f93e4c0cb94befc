/**
 * Free functions bound to the default engine (or, for functions that take tensors,
 * to the engine of their first tensor).
 */
import type { Backend } from './backend.js';
import type { TensorLike } from './creation.js';
import {
  createEye,
  createFill,
  createLinspace,
  createRandomNormal,
  createRandomUniform,
  createRange,
  createTensor,
} from './creation.js';
import { engineOf, getDefaultEngine } from './default-engine.js';
import type { DType } from './dtype.js';
import type { EngineFlags, MemoryInfo } from './engine.js';
import type { GradFn, Plugin } from './op.js';
import type { Shape } from './shape.js';
import type { Tensor, Variable } from './tensor.js';

/**
 * Creates a tensor from (nested) numbers, booleans or a TypedArray on the default engine.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]); // shape [2, 2], float32
 * x.print(); // [[1, 2], [3, 4]]
 * tensor([1, 2, 3, 4], [2, 2], 'int32').print(); // [[1, 2], [3, 4]]
 * console.log(tensor([true, false]).dtype); // 'bool'
 * ```
 */
export function tensor(values: TensorLike, shape?: Shape, dtype?: DType): Tensor {
  return createTensor(getDefaultEngine(), values, shape, dtype);
}

/**
 * Creates a rank-0 tensor.
 *
 * @example
 * ```ts
 * const s = scalar(3); // shape [], float32
 * s.mul(2).print(); // 6
 * ```
 */
export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return createTensor(getDefaultEngine(), value, [], dtype, 'scalar');
}

/**
 * A tensor of the given shape filled with 0.
 *
 * @example
 * ```ts
 * zeros([2, 2]).print(); // [[0, 0], [0, 0]]
 * ```
 */
export function zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
  return createFill(getDefaultEngine(), shape, 0, dtype, 'zeros');
}

/**
 * A tensor of the given shape filled with 1.
 *
 * @example
 * ```ts
 * ones([3], 'int32').print(); // [1, 1, 1]
 * ```
 */
export function ones(shape: Shape, dtype: DType = 'float32'): Tensor {
  return createFill(getDefaultEngine(), shape, 1, dtype, 'ones');
}

/**
 * A tensor of the given shape filled with `value`.
 *
 * @example
 * ```ts
 * fill([2], 7).print(); // [7, 7]
 * ```
 */
export function fill(shape: Shape, value: number, dtype: DType = 'float32'): Tensor {
  return createFill(getDefaultEngine(), shape, value, dtype, 'fill');
}

/**
 * Zeros with the shape and dtype of `t` (on `t`'s engine).
 *
 * @example
 * ```ts
 * zerosLike(tensor([[1, 2]])).print(); // [[0, 0]]
 * ```
 */
export function zerosLike(t: Tensor): Tensor {
  t.engine.assertUsable(t, 'zerosLike', 'x');
  return createFill(t.engine, t.shape, 0, t.dtype, 'zerosLike');
}

/**
 * Ones with the shape and dtype of `t` (on `t`'s engine).
 *
 * @example
 * ```ts
 * onesLike(tensor([5, 6])).print(); // [1, 1]
 * ```
 */
export function onesLike(t: Tensor): Tensor {
  t.engine.assertUsable(t, 'onesLike', 'x');
  return createFill(t.engine, t.shape, 1, t.dtype, 'onesLike');
}

/**
 * Numbers from `start` (inclusive) to `stop` (exclusive) in steps of `step`.
 *
 * @example
 * ```ts
 * range(0, 5).print(); // [0, 1, 2, 3, 4]
 * ```
 */
export function range(start: number, stop: number, step = 1, dtype: DType = 'float32'): Tensor {
  return createRange(getDefaultEngine(), start, stop, step, dtype);
}

/**
 * `num` evenly spaced numbers from `start` to `stop`, both included.
 *
 * @example
 * ```ts
 * linspace(0, 1, 5).print(); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace(start: number, stop: number, num: number): Tensor {
  return createLinspace(getDefaultEngine(), start, stop, num);
}

/**
 * An identity matrix (`numRows` × `numColumns`, optionally batched).
 *
 * @example
 * ```ts
 * eye(2).print(); // [[1, 0], [0, 1]]
 * eye(2, 3).print(); // [[1, 0, 0], [0, 1, 0]]
 * ```
 */
export function eye(
  numRows: number,
  numColumns?: number,
  batchShape?: readonly number[],
  dtype?: DType,
): Tensor {
  return createEye(getDefaultEngine(), numRows, numColumns, batchShape, dtype);
}

/**
 * Normal samples; reproducible with `seed`. Also accepts tfjs's `(shape, mean, std, dtype, seed)`.
 *
 * @example
 * ```ts
 * const a = randomNormal([2, 3], 0, 1, 42);
 * const b = randomNormal([2, 3], 0, 1, 42);
 * console.log(a.shape); // [2, 3]
 * a.equal(b).all().print(); // true (same seed, same samples)
 * ```
 */
export function randomNormal(
  shape: Shape,
  mean?: number,
  stdDev?: number,
  dtypeOrSeed?: DType | number,
  seed?: number,
): Tensor {
  return createRandomNormal(getDefaultEngine(), shape, mean, stdDev, dtypeOrSeed, seed);
}

/**
 * Uniform samples in [minval, maxval); reproducible with `seed`.
 *
 * @example
 * ```ts
 * const u = randomUniform([1000], -1, 1, 7);
 * u.greaterEqual(-1).logicalAnd(u.less(1)).all().print(); // true
 * u.mean().abs().less(0.1).print(); // true
 * ```
 */
export function randomUniform(
  shape: Shape,
  minval?: number,
  maxval?: number,
  dtypeOrSeed?: DType | number,
  seed?: number,
): Tensor {
  return createRandomUniform(getDefaultEngine(), shape, minval, maxval, dtypeOrSeed, seed);
}

/**
 * A mutable leaf tensor. Trainable variables require grad.
 *
 * @example
 * ```ts
 * const w = variable(tensor([1, 2]), true, 'w');
 * w.assign(w.mul(10));
 * w.print(); // [10, 20]
 * console.log(w.requiresGrad); // true
 * ```
 */
export function variable(
  initialValue: Tensor | TensorLike,
  trainable = true,
  name?: string,
  dtype?: DType,
): Variable {
  const engine = engineOf(initialValue);
  const init = createTensorIfNeeded(initialValue, dtype);
  const v = engine.variable(init, trainable, name, dtype ?? init.dtype);
  if (init !== initialValue) init.dispose();
  return v;
}

function createTensorIfNeeded(x: Tensor | TensorLike, dtype?: DType): Tensor {
  if (typeof x === 'object' && x !== null && 'engine' in x) return x;
  return createTensor(getDefaultEngine(), x, undefined, dtype, 'variable');
}

/**
 * Runs fn and disposes the tensors it created, except those it returns.
 *
 * @example
 * ```ts
 * const before = memory().numTensors;
 * const y = tidy(() => tensor([1, 2]).square().add(1)); // the intermediates are disposed
 * y.print(); // [2, 5]
 * console.log(memory().numTensors - before); // 1
 * ```
 */
export function tidy<T>(nameOrFn: string | (() => T), fn?: () => T): T {
  return typeof nameOrFn === 'function'
    ? getDefaultEngine().tidy(nameOrFn)
    : getDefaultEngine().tidy(nameOrFn, fn as () => T);
}

/**
 * Keeps `t` alive when the enclosing `tidy` scope ends; returns `t`.
 *
 * @example
 * ```ts
 * let kept: Tensor | undefined;
 * tidy(() => {
 *   kept = keep(tensor([1, 2]).mul(2));
 * });
 * kept!.print(); // [2, 4]
 * ```
 */
export function keep<T extends Tensor>(t: T): T {
  return t.engine.keep(t);
}

/**
 * Disposes every tensor found in `container` (a tensor, an array or an object of tensors).
 *
 * @example
 * ```ts
 * const a = tensor([1]);
 * const b = tensor([2]);
 * dispose({ a, b });
 * console.log(b.isDisposed); // true
 * ```
 */
export function dispose(container: unknown): void {
  getDefaultEngine().dispose(container);
}

/**
 * Live tensors and bytes on the default engine (per backend too): a training step inside
 * `tidy` must leave them unchanged.
 *
 * @example
 * ```ts
 * const before = memory().numTensors;
 * const x = tensor([1, 2, 3]);
 * console.log(memory().numTensors - before); // 1
 * x.dispose();
 * console.log(memory().numTensors - before); // 0
 * ```
 */
export function memory(): MemoryInfo {
  return getDefaultEngine().memory();
}

/**
 * Runs fn without recording gradients.
 *
 * @example
 * ```ts
 * const x = tensor([1, 2]).requiresGrad_();
 * const y = noGrad(() => x.mul(2));
 * console.log(y.requiresGrad); // false
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  return getDefaultEngine().withGradMode(false, fn);
}

/**
 * Runs fn with gradient recording on (inside noGrad, for example).
 *
 * @example
 * ```ts
 * const x = tensor([3]).requiresGrad_();
 * const y = noGrad(() => enableGrad(() => x.square()));
 * y.sum().backward();
 * x.grad!.print(); // [6]
 * ```
 */
export function enableGrad<T>(fn: () => T): T {
  return getDefaultEngine().withGradMode(true, fn);
}

/**
 * A tensor equal to x through which no gradient flows.
 *
 * @example
 * ```ts
 * // d/dx [x * stopGradient(x)] = stopGradient(x) = 3
 * grad((x) => x.mul(stopGradient(x)))(scalar(3)).print(); // 3
 * ```
 */
export function stopGradient(x: Tensor): Tensor {
  return x.engine.run('StopGradient', [x]) as Tensor;
}

/**
 * Registers a plugin on the default engine.
 *
 * @example
 * ```ts
 * import { createEngine } from '@tapegrad/core';
 * import { math } from '@tapegrad/ops-math';
 * import { cpu } from '@tapegrad/backend-cpu';
 * // `use` registers plugins on the default engine (the tapegrad package does this for you);
 * // the same plugins make an isolated engine:
 * const engine = createEngine({ ops: [math], backends: [cpu()] });
 * console.log(engine.getBackend()); // 'cpu'
 * ```
 */
export function use(plugin: Plugin): void {
  getDefaultEngine().use(plugin);
}

/**
 * tfjs-style backend registration on the default engine: a name, a factory and a priority (higher wins).
 *
 * @example
 * ```ts
 * import { CpuBackend } from '@tapegrad/backend-cpu';
 * registerBackend('cpu-copy', () => new CpuBackend(), 0);
 * await setBackend('cpu-copy');
 * console.log(getBackend()); // 'cpu-copy'
 * ```
 */
export function registerBackend(
  name: string,
  factory: () => Backend | Promise<Backend>,
  priority?: number,
): void {
  getDefaultEngine().registerBackend(name, factory, priority);
}

/**
 * Selects (and initializes) the backend used by new tensors and ops on the default engine.
 *
 * @example
 * ```ts
 * await setBackend('cpu');
 * console.log(getBackend()); // 'cpu'
 * tensor([1, 2]).add(1).print(); // [2, 3]
 * ```
 */
export async function setBackend(name: string): Promise<void> {
  await getDefaultEngine().setBackend(name);
}

/**
 * Name of the active backend of the default engine (choosing the highest-priority one if none is set).
 *
 * @example
 * ```ts
 * console.log(getBackend()); // 'wasm' in Node without a GPU (tapegrad prefers webgpu, wasm, cpu)
 * ```
 */
export function getBackend(): string {
  return getDefaultEngine().getBackend();
}

/**
 * Unregisters a backend of the default engine and disposes it (stops its worker threads,
 * releases its GPU device and memory). Throws while tensors still hold data on it.
 *
 * @example
 * ```ts
 * import { CpuBackend } from '@tapegrad/backend-cpu';
 * registerBackend('scratch', () => new CpuBackend(), 0);
 * await setBackend('scratch');
 * const t = tensor([1, 2]); // its data lives on 'scratch'
 * t.dispose();
 * await setBackend('cpu');
 * removeBackend('scratch'); // no tensor holds data there any more
 * console.log(getBackend()); // 'cpu'
 * ```
 */
export function removeBackend(name: string): void {
  getDefaultEngine().removeBackend(name);
}

/**
 * Resolves when the active (or best available) backend of the default engine is initialized.
 *
 * @example
 * ```ts
 * await ready(); // the backend is initialized (wasm compiles asynchronously in browsers)
 * tensor([1, 2]).sum().print(); // 3
 * ```
 */
export async function ready(): Promise<void> {
  await getDefaultEngine().ready();
}

/**
 * Adds or replaces the gradient of an op on the default engine.
 *
 * @example
 * ```ts
 * // from now on, round() passes gradients through unchanged (straight-through)
 * registerGradient('Round', (dy) => [dy]);
 * grad((x) => round(x).mul(3).sum())(tensor([0.4, 1.6])).print(); // [3, 3]
 * ```
 */
export function registerGradient(opName: string, gradFn: GradFn): void {
  getDefaultEngine().registerGradient(opName, gradFn);
}

/**
 * Runs `fn` with op gradients overridden (TF's gradient_override_map): each value is another
 * op's name (use its gradient) or a gradient function.
 *
 * @example
 * ```ts
 * // straight-through estimator: sign() passes gradients through unchanged
 * const x = tensor([-2, 0.5]);
 * const g = withGradientOverride({ Sign: 'Identity' }, () => grad((x) => sign(x).sum())(x));
 * g.print(); // [1, 1]
 * ```
 */
export function withGradientOverride<T>(map: Record<string, string | GradFn>, fn: () => T): T {
  return getDefaultEngine().withGradientOverride(map, fn);
}

/**
 * Sets engine flags (fallback policy, anomaly detection, debug leak reports).
 *
 * @example
 * ```ts
 * setFlags({ detectAnomaly: true });
 * try {
 *   tensor([-1]).log();
 * } catch (e) {
 *   console.log(e instanceof AnomalyError); // true
 * }
 * setFlags({ detectAnomaly: false });
 * ```
 */
export function setFlags(flags: Partial<EngineFlags>): void {
  Object.assign(getDefaultEngine().flags, flags);
}
