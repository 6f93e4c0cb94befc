/**
 * Shape rules and argument handling shared by the pooling primitives (MaxPool, AvgPool,
 * MaxPool3D, AvgPool3D and their gradients). Primitives are channels-last and batched.
 *
 * Windows never read padding: max pooling takes the max of the real elements of a
 * window, average pooling divides by their count (so 'same' average pooling is not
 * biased towards zero at the border, as in TensorFlow). A window with no real element
 * (only possible with large explicit padding or 'ceil' rounding) gives 0.
 */
import type { InputSpec, Shape, Tensor } from '@tapegrad/core';
import {
  DTypeError,
  ShapeError,
  convertToTensor,
  engineOf,
  fmtShape,
  shapesEqual,
} from '@tapegrad/core';
import type { Arg } from '@tapegrad/ops-math';
import type { DimRoundingMode, PadSpec, PoolAttrs } from '../geometry.js';
import { computeGeometry, fmtPad, spatialList, validateRounding } from '../geometry.js';
import { assertFloat, assertRank, padToChannelsLast, run, shapeAttr } from '../util.js';
import { prepareInput, spatialNames } from './conv-public.js';

export type { PoolAttrs } from '../geometry.js';

export interface PoolGradAttrs extends PoolAttrs {
  /** Shape of the pooled input (the output of the gradient op). */
  inputShape: number[];
}

/** A pooling family: its public name, spatial rank and the names of its primitives. */
export interface PoolFamily {
  readonly op: string;
  readonly spatial: 2 | 3;
  readonly forward: string;
  readonly grad: string;
  /** MaxPool only: the gradient of MaxPoolGrad with respect to dy. */
  readonly gradGrad?: string;
}

export const MAX_POOL: PoolFamily = {
  op: 'maxPool',
  spatial: 2,
  forward: 'MaxPool',
  grad: 'MaxPoolGrad',
  gradGrad: 'MaxPoolGradGrad',
};
export const AVG_POOL: PoolFamily = {
  op: 'avgPool',
  spatial: 2,
  forward: 'AvgPool',
  grad: 'AvgPoolGrad',
};
export const MAX_POOL_3D: PoolFamily = {
  op: 'maxPool3d',
  spatial: 3,
  forward: 'MaxPool3D',
  grad: 'MaxPool3DGrad',
  gradGrad: 'MaxPool3DGradGrad',
};
export const AVG_POOL_3D: PoolFamily = {
  op: 'avgPool3d',
  spatial: 3,
  forward: 'AvgPool3D',
  grad: 'AvgPool3DGrad',
};

function inputForm(spatial: number): string {
  return spatial === 3
    ? '(NDHWC: [batch, depth, height, width, channels])'
    : '(NHWC: [batch, height, width, channels])';
}

/** Output shape of pooling an input of `xShape`; validates the window, strides and padding. */
export function poolOutputShape(
  op: string,
  spatial: number,
  xShape: Shape,
  attrs: PoolAttrs,
  xName = 'x',
): number[] {
  assertRank(op, xName, xShape, spatial + 2, inputForm(spatial));
  const names = spatialNames(spatial);
  const filterSize = spatialList(op, 'filterSize', attrs.filterSize, spatial, names);
  const g = computeGeometry(
    op,
    xShape.slice(1, spatial + 1),
    filterSize,
    attrs.strides,
    new Array<number>(spatial).fill(1),
    attrs.pad,
    attrs.dimRoundingMode,
  );
  return [xShape[0]!, ...g.outSize, xShape[spatial + 1]!];
}

/** Shape rule of a forward pool (input x). Max pooling also takes int32. */
export function forwardShape(fam: PoolFamily, allowInt: boolean) {
  return ([x]: readonly InputSpec[], attrs: PoolAttrs): Shape => {
    if (!(allowInt && x!.dtype === 'int32')) {
      if (allowInt && x!.dtype === 'bool') {
        throw new DTypeError(
          `${fam.op}: x must be a numeric tensor (float32, float64 or int32), got bool; cast it first`,
        );
      }
      assertFloat(fam.op, 'x', x!);
    }
    return poolOutputShape(fam.op, fam.spatial, x!.shape, attrs);
  };
}

function assertDy(
  op: string,
  dyName: string,
  dy: Shape,
  expected: Shape,
  xShape: Shape,
  fam: PoolFamily,
  attrs: PoolAttrs,
): void {
  if (!shapesEqual(dy, expected)) {
    throw new ShapeError(
      `${op}: ${dyName} ${fmtShape(dy)} must have shape ${fmtShape(expected)}, the output of ${fam.op} of an input ${fmtShape(xShape)} ` +
        `(filterSize ${fmtShape(attrs.filterSize)}, strides ${fmtShape(attrs.strides)}, pad ${fmtPad(attrs.pad)})`,
    );
  }
}

/** Shape rule of MaxPoolGrad (inputs x, dy): the gradient has x's shape. */
export function maxGradShape(fam: PoolFamily) {
  const op = lowerFirst(fam.grad);
  return ([x, dy]: readonly InputSpec[], attrs: PoolAttrs): Shape => {
    assertFloat(op, 'x', x!);
    assertFloat(op, 'dy', dy!);
    assertDy(
      op,
      'dy',
      dy!.shape,
      poolOutputShape(op, fam.spatial, x!.shape, attrs),
      x!.shape,
      fam,
      attrs,
    );
    return x!.shape;
  };
}

/** Shape rule of MaxPoolGradGrad (inputs x, g of x's shape): the result has the pool's output shape. */
export function maxGradGradShape(fam: PoolFamily) {
  const op = lowerFirst(fam.gradGrad ?? '');
  return ([x, g]: readonly InputSpec[], attrs: PoolAttrs): Shape => {
    assertFloat(op, 'x', x!);
    assertFloat(op, 'g', g!);
    if (!shapesEqual(x!.shape, g!.shape)) {
      throw new ShapeError(
        `${op}: g ${fmtShape(g!.shape)} must have the shape of x ${fmtShape(x!.shape)}`,
      );
    }
    return poolOutputShape(op, fam.spatial, x!.shape, attrs);
  };
}

/** Shape rule of AvgPoolGrad (input dy; attr inputShape). */
export function avgGradShape(fam: PoolFamily) {
  const op = lowerFirst(fam.grad);
  return ([dy]: readonly InputSpec[], attrs: PoolGradAttrs): Shape => {
    assertFloat(op, 'dy', dy!);
    const inputShape = shapeAttr(op, 'inputShape', attrs.inputShape, fam.spatial + 2);
    assertDy(
      op,
      'dy',
      dy!.shape,
      poolOutputShape(op, fam.spatial, inputShape, attrs, 'inputShape'),
      inputShape,
      fam,
      attrs,
    );
    return inputShape;
  };
}

/** The attributes of a pooling primitive, without extra keys. */
export function poolAttrsOf(attrs: PoolAttrs): PoolAttrs {
  const out: PoolAttrs = { filterSize: attrs.filterSize, strides: attrs.strides, pad: attrs.pad };
  if (attrs.dimRoundingMode !== undefined) out.dimRoundingMode = attrs.dimRoundingMode;
  return out;
}

export function runPool(
  name: string,
  inputs: Tensor[],
  attrs: PoolAttrs,
  extra: object = {},
): Tensor {
  return run(inputs[0]!.engine, name, inputs, { ...poolAttrsOf(attrs), ...extra });
}

/** maxPool, avgPool, maxPool3d, avgPool3d: normalize, run the primitive, restore the layout. */
export function poolPublic(
  fam: PoolFamily,
  x: Arg,
  filterSize: unknown,
  strides: unknown,
  pad: PadSpec,
  dimRoundingMode: DimRoundingMode | undefined,
  dataFormat: string,
): Tensor {
  const op = fam.op;
  const engine = engineOf(x);
  const t = convertToTensor(engine, x, 'x', op, 'float32');
  const isMax = fam.gradGrad !== undefined;
  if (t.dtype !== 'float32' && t.dtype !== 'float64' && !(isMax && t.dtype === 'int32')) {
    throw new DTypeError(
      `${op}: x must be a ${isMax ? 'numeric tensor (float32, float64 or int32)' : 'float tensor (float32 or float64)'}, got ${t.dtype} (shape ${fmtShape(t.shape)}); cast it first`,
    );
  }
  const r = fam.spatial;
  const names = spatialNames(r);
  const attrs: PoolAttrs = {
    filterSize: spatialList(op, 'filterSize', filterSize, r, names),
    strides: spatialList(op, 'strides', strides, r, names),
    pad: padToChannelsLast(op, pad, r, dataFormat === 'NCHW' || dataFormat === 'NCDHW'),
  };
  validateRounding(op, dimRoundingMode, pad);
  if (dimRoundingMode !== undefined && dimRoundingMode !== null)
    attrs.dimRoundingMode = dimRoundingMode;
  const p = prepareInput(op, t, r, dataFormat);
  return p.restore(runPool(fam.forward, [p.x], attrs));
}

export function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
