/**
 * Error classes. Every user mistake surfaces as a subclass of `TapegradError`
 * whose message names the op, the argument and the shapes or dtypes involved.
 *
 * @example
 * ```ts
 * try {
 *   tensor([1, 2]).add(tensor([1, 2, 3]));
 * } catch (e) {
 *   console.log(e instanceof TapegradError); // true (every tapegrad error is one)
 * }
 * ```
 */
export class TapegradError extends Error {
  // Names are spelled out rather than read from the class, which minifiers rename.
  override name = 'TapegradError';
}

/**
 * Incompatible or invalid shapes (including bad axes).
 *
 * @example
 * ```ts
 * try {
 *   tensor([1, 2]).add(tensor([1, 2, 3]));
 * } catch (e) {
 *   console.log(e instanceof ShapeError); // true
 * }
 * ```
 */
export class ShapeError extends TapegradError {
  override name = 'ShapeError';
}

/**
 * An argument with a dtype the op does not accept.
 *
 * @example
 * ```ts
 * try {
 *   logicalAnd(tensor([1.5]), tensor([true]));
 * } catch (e) {
 *   console.log(e instanceof DTypeError); // true: logicalAnd needs bool tensors
 * }
 * ```
 */
export class DTypeError extends TapegradError {
  override name = 'DTypeError';
}

/**
 * An argument of the wrong kind or out of range (not shape- or dtype-related).
 *
 * @example
 * ```ts
 * try {
 *   range(0, 3, 0);
 * } catch (e) {
 *   console.log(e instanceof ArgumentError); // true: step must be non-zero
 * }
 * ```
 */
export class ArgumentError extends TapegradError {
  override name = 'ArgumentError';
}

/**
 * A tensor was used after `dispose()` (or after its `tidy` scope ended).
 *
 * @example
 * ```ts
 * const x = tensor([1, 2]);
 * x.dispose();
 * try {
 *   x.add(1);
 * } catch (e) {
 *   console.log(e instanceof DisposedError); // true
 * }
 * ```
 */
export class DisposedError extends TapegradError {
  override name = 'DisposedError';
}

/**
 * No backend has a kernel for an op and the op has no composition.
 *
 * @example
 * ```ts
 * import { math } from '@tapegrad/ops-math';
 * import { cpu } from '@tapegrad/backend-cpu';
 * const engine = createEngine({ ops: [math], backends: [{ ...cpu(), kernels: {} }] }); // a backend without kernels
 * const x = createTensor(engine, [1, 2]);
 * try {
 *   x.add(x);
 * } catch (e) {
 *   console.log(e instanceof KernelNotFoundError); // true
 * }
 * ```
 */
export class KernelNotFoundError extends TapegradError {
  override name = 'KernelNotFoundError';
}

/**
 * Backward could not run: missing gradient, freed graph, non-scalar output without a seed.
 *
 * @example
 * ```ts
 * try {
 *   tensor([1, 2]).requiresGrad_().mul(2).backward(); // non-scalar output, no seed
 * } catch (e) {
 *   console.log(e instanceof GradientError); // true
 * }
 * ```
 */
export class GradientError extends TapegradError {
  override name = 'GradientError';
}

/**
 * `detectAnomaly` found a NaN or Inf.
 *
 * @example
 * ```ts
 * try {
 *   detectAnomaly(() => tensor([-1]).log());
 * } catch (e) {
 *   console.log(e instanceof AnomalyError); // true: Log produced NaN
 * }
 * ```
 */
export class AnomalyError extends TapegradError {
  override name = 'AnomalyError';
}

/**
 * No backend registered, or a backend failed to initialize.
 *
 * @example
 * ```ts
 * import { math } from '@tapegrad/ops-math';
 * const engine = createEngine({ ops: [math] }); // no backend
 * try {
 *   createTensor(engine, [1]);
 * } catch (e) {
 *   console.log(e instanceof BackendError); // true
 * }
 * ```
 */
export class BackendError extends TapegradError {
  override name = 'BackendError';
}

/**
 * Formats a shape for error messages: `[2,3]`.
 *
 * @example
 * ```ts
 * console.log(fmtShape([2, 3])); // '[2,3]'
 * ```
 */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
