import type { Tensor } from '@tapegrad/core';
import { ArgumentError, ShapeError, fmtShape } from '@tapegrad/core';
import type { Arg } from '@tapegrad/ops-math';
import type { DimRoundingMode, PadSpec } from '../geometry.js';
import { addBatch, dropBatch, floatTensors } from '../util.js';
import { CONV2D, backpropInputShape, convBackpropInput } from './conv-common.js';
import { convAttrs } from './conv-public.js';

/**
 * Transposed 2-D convolution (tfjs's conv2dTranspose; the gradient of conv2d with respect
 * to its input). x [batch, height, width, inDepth] (or without the batch dimension),
 * filter [filterHeight, filterWidth, outDepth, inDepth], `outputShape` [batch, outHeight,
 * outWidth, outDepth] (or without the batch dimension): the shape of the conv2d input
 * whose output has x's shape with these strides and padding.
 *
 * @example
 * ```ts
 * const x = tensor([2], [1, 1, 1, 1]);
 * const filter = ones([2, 2, 1, 1]); // [height, width, outChannels, inChannels]
 * conv2dTranspose(x, filter, [1, 2, 2, 1], 1, 'valid').reshape([2, 2]).print(); // [[2, 2], [2, 2]]
 * ```
 */
export function conv2dTranspose(
  x: Arg,
  filter: Arg,
  outputShape: readonly number[],
  strides: number | readonly [number, number],
  pad: PadSpec,
  dimRoundingMode?: DimRoundingMode,
): Tensor {
  const op = 'conv2dTranspose';
  const [, [xt, f]] = floatTensors(op, [
    [x, 'x'],
    [filter, 'filter'],
  ]);
  const single = xt!.rank === 3;
  if (xt!.rank !== 4 && !single) {
    throw new ShapeError(
      `${op}: x must be of rank 4 ([batch, height, width, inDepth]) or 3 (one example), got rank ${xt!.rank} (shape ${fmtShape(xt!.shape)})`,
    );
  }
  if (f!.rank !== 4) {
    throw new ShapeError(
      `${op}: filter must be of rank 4 ([filterHeight, filterWidth, outDepth, inDepth]), got rank ${f!.rank} (shape ${fmtShape(f!.shape)})`,
    );
  }
  const requested: unknown = outputShape;
  if (
    !Array.isArray(requested) ||
    requested.length !== xt!.rank ||
    !requested.every((d) => Number.isInteger(d) && (d as number) >= 0)
  ) {
    throw new ArgumentError(
      `${op}: outputShape must be ${xt!.rank} non-negative integers (${single ? '[outHeight, outWidth, outDepth] for an x of rank 3' : '[batch, outHeight, outWidth, outDepth]'}), got ${String(outputShape)}`,
    );
  }
  const outShape: number[] = single ? [1, ...outputShape] : [...outputShape];
  const x4 = single ? addBatch(xt!) : xt!;
  if (x4.shape[3] !== f!.shape[3]) {
    throw new ShapeError(
      `${op}: x ${fmtShape(xt!.shape)} has depth ${x4.shape[3]} (its last dimension) but filter ${fmtShape(f!.shape)} expects inDepth ${f!.shape[3]} (its dimension 3); they must match`,
    );
  }
  if (outShape[3] !== f!.shape[2]) {
    throw new ShapeError(
      `${op}: outputShape [${outputShape.join(',')}] has depth ${outShape[3]} but filter ${fmtShape(f!.shape)} has outDepth ${f!.shape[2]} (its dimension 2); they must match`,
    );
  }
  const attrs = convAttrs(op, 2, strides, pad, [1, 1], dimRoundingMode, 'NHWC');
  const checkShapes = backpropInputShape(CONV2D, op, 'x');
  checkShapes(
    [
      { shape: x4.shape, dtype: x4.dtype },
      { shape: f!.shape, dtype: f!.dtype },
    ],
    { ...attrs, inputShape: outShape },
  );
  const y = convBackpropInput(CONV2D, x4, f!, outShape, attrs);
  return single ? dropBatch(y) : y;
}
