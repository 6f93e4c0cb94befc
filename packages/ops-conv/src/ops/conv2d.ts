import type { OpDef, Tensor } from '@tapegrad/core';
import type { Arg } from '@tapegrad/ops-math';
import type { DimRoundingMode, PadSpec } from '../geometry.js';
import { convPublic } from './conv-public.js';
import type { ConvAttrs } from './conv-common.js';
import { CONV2D, convBackpropFilter, convBackpropInput, forwardShape } from './conv-common.js';

/** y = conv2d(x, filter), channels-last and batched (the public functions normalize to this). */
export const Conv2DOp: OpDef<ConvAttrs> = {
  name: 'Conv2D',
  inputNames: ['x', 'filter'],
  inferShape: forwardShape(CONV2D),
  // dx = backpropInput(dy, filter), dfilter = backpropFilter(x, dy): both are ops with gradients.
  grad: (dy, { inputs: [x, filter], attrs, needsInputGrad: [needX, needFilter] }) => [
    needX ? convBackpropInput(CONV2D, dy, filter!, x!.shape, attrs) : null,
    needFilter ? convBackpropFilter(CONV2D, x!, dy, filter!.shape, attrs) : null,
  ],
};

/**
 * 2-D convolution (tfjs's conv2d): x [batch, height, width, inChannels] (or without the batch
 * dimension; NCHW with `dataFormat`), filter [filterHeight, filterWidth, inChannels, outChannels].
 * `pad` is 'valid', 'same', a number, or explicit [[0,0],[top,bottom],[left,right],[0,0]]
 * (in the data format's order); strides and dilations may not both exceed 1.
 *
 * @example
 * ```ts
 * const x = range(1, 10).reshape([1, 3, 3, 1]); // NHWC
 * const filter = ones([2, 2, 1, 1]); // [height, width, inChannels, outChannels]
 * conv2d(x, filter, 1, 'valid').reshape([2, 2]).print(); // [[12, 16], [24, 28]]
 * conv2d(x, filter, 1, 'same').shape; // → [1, 3, 3, 1]
 * ```
 */
export function conv2d(
  x: Arg,
  filter: Arg,
  strides: number | readonly [number, number],
  pad: PadSpec,
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC',
  dilations: number | readonly [number, number] = [1, 1],
  dimRoundingMode?: DimRoundingMode,
): Tensor {
  return convPublic(CONV2D, x, filter, strides, pad, dataFormat, dilations, dimRoundingMode);
}
