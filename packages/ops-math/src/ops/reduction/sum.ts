import type { OpDef, Shape, Tensor } from '@tapegrad/core';
import { engineOf, normalizeAxes } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { cast, run, toTensor } from '../../util.js';

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

export const SumOp: OpDef<ReduceAttrs> = {
  name: 'Sum',
  inputNames: ['x'],
  inferShape: ([x], { axes, keepDims }) => reducedShape(x!.shape, axes, keepDims),
  // Sum of bools counts them (int32), as in tfjs.
  inferDtype: ([x]) => (x!.dtype === 'bool' ? 'int32' : x!.dtype),
  grad: (dy, { inputs: [x], attrs }) => [expandReduced(dy, x!.shape, attrs.axes)],
};

/** Sum over `axis` (all axes by default); negative axes count from the end. */
export function sum(x: Arg, axis?: number | number[] | null, keepDims = false): Tensor {
  const engine = engineOf(x);
  let t = toTensor(engine, x, 'x', 'sum');
  if (t.dtype === 'bool') t = cast(t, 'int32');
  const axes = normalizeAxes('sum', axis, t.rank);
  return run(engine, 'Sum', [t], { axes, keepDims });
}
