import type { OpDef, Tensor } from '@tapegrad/core';
import type { Arg } from '@tapegrad/ops-math';
import type { DimRoundingMode, PadSpec } from '../geometry.js';
import { convPublic } from './conv-public.js';
import type { ConvAttrs } from './conv-common.js';
import {
  DEPTHWISE_CONV2D,
  convBackpropFilter,
  convBackpropInput,
  forwardShape,
} from './conv-common.js';

/** y = depthwiseConv2d(x, filter), channels-last and batched (the public functions normalize to this). */
export const DepthwiseConv2DOp: OpDef<ConvAttrs> = {
  name: 'DepthwiseConv2D',
  inputNames: ['x', 'filter'],
  inferShape: forwardShape(DEPTHWISE_CONV2D),
  // dx = backpropInput(dy, filter), dfilter = backpropFilter(x, dy): both are ops with gradients.
  grad: (dy, { inputs: [x, filter], attrs, needsInputGrad: [needX, needFilter] }) => [
    needX ? convBackpropInput(DEPTHWISE_CONV2D, dy, filter!, x!.shape, attrs) : null,
    needFilter ? convBackpropFilter(DEPTHWISE_CONV2D, x!, dy, filter!.shape, attrs) : null,
  ],
};

/**
 * Depthwise 2-D convolution (tfjs's depthwiseConv2d): each input channel is convolved with
 * its own `channelMultiplier` filters. x [batch, height, width, inChannels] (or NCHW, or
 * without the batch dimension), filter [filterHeight, filterWidth, inChannels,
 * channelMultiplier]; the output has inChannels·channelMultiplier channels.
 *
 * @example
 * ```ts
 * const x = range(1, 9).reshape([1, 2, 2, 2]); // two channels
 * const filter = ones([2, 2, 2, 1]); // [height, width, inChannels, channelMultiplier]
 * depthwiseConv2d(x, filter, 1, 'valid').print(); // [[[[16, 20]]]]
 * ```
 */
export function depthwiseConv2d(
  x: Arg,
  filter: Arg,
  strides: number | readonly [number, number],
  pad: PadSpec,
  dataFormat: 'NHWC' | 'NCHW' = 'NHWC',
  dilations: number | readonly [number, number] = [1, 1],
  dimRoundingMode?: DimRoundingMode,
): Tensor {
  return convPublic(
    DEPTHWISE_CONV2D,
    x,
    filter,
    strides,
    pad,
    dataFormat,
    dilations,
    dimRoundingMode,
  );
}
