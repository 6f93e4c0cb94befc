/**
 * Error classes. Every user mistake surfaces as a subclass of `TapegradError`
 * whose message names the op, the argument and the shapes or dtypes involved.
 */
export class TapegradError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Incompatible or invalid shapes (including bad axes). */
export class ShapeError extends TapegradError {}

/** An argument with a dtype the op does not accept. */
export class DTypeError extends TapegradError {}

/** An argument of the wrong kind or out of range (not shape- or dtype-related). */
export class ArgumentError extends TapegradError {}

/** A tensor was used after `dispose()` (or after its `tidy` scope ended). */
export class DisposedError extends TapegradError {}

/** No backend has a kernel for an op and the op has no composition. */
export class KernelNotFoundError extends TapegradError {}

/** Backward could not run: missing gradient, freed graph, non-scalar output without a seed. */
export class GradientError extends TapegradError {}

/** `detectAnomaly` found a NaN or Inf. */
export class AnomalyError extends TapegradError {}

/** No backend registered, or a backend failed to initialize. */
export class BackendError extends TapegradError {}

/** Formats a shape for error messages: `[2,3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
