/** Shared pieces of the reduction ops: attribute checks and shape rules. */
import type { DType, Engine, GradFn, InputSpec, OpDef, Shape, Tensor } from '@tapegrad/core';
import { ArgumentError, ShapeError, engineOf, fmtShape, normalizeAxes } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run, toTensor } from '../../util.js';

export interface ReduceAttrs {
  /** Sorted, non-negative axes to reduce. */
  axes: number[];
  keepDims: boolean;
}

/** Output shape of a reduction over `axes`. */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

/** Shape of the reduced tensor with the reduced axes kept as 1 (for broadcasting gradients back). */
export function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** Broadcasts a reduction's gradient (or output) back to the input shape. */
export function expandReduced(t: Tensor, inputShape: Shape, axes: readonly number[]): Tensor {
  const withOnes = run(t.engine, 'Reshape', [t], { shape: keptShape(inputShape, axes) });
  return run(t.engine, 'BroadcastTo', [withOnes], { shape: [...inputShape] });
}

/**
 * Validates the attrs of a reduction run directly through `engine.run` (the public
 * functions normalize them already): sorted, distinct, in-range, non-negative axes.
 */
export function checkReduceAttrs(op: string, shape: Shape, attrs: ReduceAttrs): void {
  const { axes } = attrs;
  if (!Array.isArray(axes))
    throw new ArgumentError(`${op}: attr axes must be an array of axes, got ${typeof axes}`);
  const rank = shape.length;
  axes.forEach((a, i) => {
    if (!Number.isInteger(a) || a < 0 || a >= Math.max(rank, 1) || (i > 0 && a <= axes[i - 1]!)) {
      throw new ShapeError(
        `${op}: axes [${axes.join(',')}] are invalid for x of shape ${fmtShape(shape)} (rank ${rank}); ` +
          `expected sorted, distinct axes in 0..${Math.max(rank - 1, 0)}`,
      );
    }
  });
}

/** The shape rule of a reduction over attrs.axes. */
export function reduceShapeRule(op: string) {
  return ([x]: readonly InputSpec[], attrs: ReduceAttrs): number[] => {
    checkReduceAttrs(op, x!.shape, attrs);
    return reducedShape(x!.shape, attrs.axes, attrs.keepDims);
  };
}

/** Definition of a reduction primitive with the common shape rule. */
export function reduceOp(
  name: string,
  op: string,
  rest: Partial<OpDef<ReduceAttrs>> = {},
): OpDef<ReduceAttrs> {
  return { name, inputNames: ['x'], inferShape: reduceShapeRule(op), ...rest };
}

/** Attrs of the scans (cumsum, cumprod). */
export type ScanAttrs = {
  axis: number;
  exclusive: boolean;
  reverse: boolean;
};

/** Attrs of argMax / argMin. */
export type ArgReduceAttrs = {
  axis: number;
};

/** Validates a single normalized axis attr. */
export function checkAxisAttr(op: string, shape: Shape, axis: number): void {
  const rank = shape.length;
  if (!Number.isInteger(axis) || axis < 0 || axis >= Math.max(rank, 1)) {
    throw new ShapeError(
      `${op}: axis ${axis} is out of range for x of shape ${fmtShape(shape)} (rank ${rank}; valid: 0..${Math.max(rank - 1, 0)} after normalization)`,
    );
  }
}

/** Float dtype that integer/bool inputs are converted to by mean and logSumExp (tfjs: float32). */
export function floatDtypeFor(dtype: DType): DType {
  return dtype === 'float64' ? 'float64' : 'float32';
}

/** Converts the argument of a reduction and normalizes its axes (negative allowed; undefined = all). */
export function reduceArgs(
  op: string,
  x: Arg,
  axis: number | readonly number[] | null | undefined,
): { engine: Engine; t: Tensor; axes: number[] } {
  const engine = engineOf(x);
  const t = toTensor(engine, x, 'x', op);
  return { engine, t, axes: normalizeAxes(op, axis, t.rank) };
}

/**
 * Gradient of max/min. tfjs semantics: the gradient goes, undivided, to every position
 * equal to the extreme, so ties each receive the full upstream gradient (PyTorch's
 * amax would split it evenly). The mask is computed on detached values (it is a
 * constant of the backward graph), so the result stays differentiable in dy.
 */
export const extremumGrad: GradFn<ReduceAttrs> = (dy, { inputs: [x], outputs: [y], attrs }) => {
  const e = x!.engine;
  const xd = run(e, 'StopGradient', [x!]);
  const yd = expandReduced(run(e, 'StopGradient', [y!]), x!.shape, attrs.axes);
  const mask = run(e, 'Cast', [run(e, 'Equal', [xd, yd])], { dtype: x!.dtype });
  return [run(e, 'Mul', [mask, expandReduced(dy, x!.shape, attrs.axes)])];
};
