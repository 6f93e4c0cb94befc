import type { Shape } from '@tapegrad/core';

/** A WGSL function computing one elementwise op on values (one per op and storage types). */
export interface EwFunction {
  /** Unique WGSL name: the op and its storage types (e.g. `ew_Exp_f32_f32`). */
  name: string;
  /** Storage type of each attribute argument (after the inputs). */
  attrTypes: readonly ('f32' | 'i32' | 'u32')[];
  /** The function's WGSL source. */
  code: string;
}

/** What a lazy expression reads: a tensor's data seen at a shape (broadcast to the consumer). */
export interface LazyInput<D> {
  data: D;
  shape: Shape;
}

/**
 * An elementwise op not computed yet: its function, inputs (buffers or other lazy
 * expressions), attribute words (uniforms) and output shape. `epoch` is the command-stream
 * flush count when it was made: an expression from an earlier flush is computed rather than
 * inlined again, so a value updated every step (a bias) never grows a chain of expressions.
 */
export interface LazyExpr<D> {
  readonly fn: EwFunction;
  readonly inputs: readonly LazyInput<D>[];
  readonly attrs: readonly number[];
  readonly shape: Shape;
  readonly epoch: number;
}
