import type { OpDef, Tensor } from '@tapegrad/core';
import type { Arg } from '@tapegrad/ops-math';
import type { DimRoundingMode, PadSpec } from '../geometry.js';
import { convPublic } from './conv-public.js';
import type { ConvAttrs } from './conv-common.js';
import { CONV3D, convBackpropFilter, convBackpropInput, forwardShape } from './conv-common.js';

/** y = conv3d(x, filter), channels-last and batched (the public functions normalize to this). */
export const Conv3DOp: OpDef<ConvAttrs> = {
  name: 'Conv3D',
  inputNames: ['x', 'filter'],
  inferShape: forwardShape(CONV3D),
  // dx = backpropInput(dy, filter), dfilter = backpropFilter(x, dy): both are ops with gradients.
  grad: (dy, { inputs: [x, filter], attrs, needsInputGrad: [needX, needFilter] }) => [
    needX ? convBackpropInput(CONV3D, dy, filter!, x!.shape, attrs) : null,
    needFilter ? convBackpropFilter(CONV3D, x!, dy, filter!.shape, attrs) : null,
  ],
};

/**
 * 3-D convolution (tfjs's conv3d): x [batch, depth, height, width, inChannels] (or without the
 * batch dimension; NCDHW with `dataFormat`), filter [filterDepth, filterHeight, filterWidth,
 * inChannels, outChannels]. `pad` is 'valid', 'same', a number or explicit padding.
 *
 * @example
 * ```ts
 * const x = range(1, 9).reshape([1, 2, 2, 2, 1]); // NDHWC
 * conv3d(x, ones([2, 2, 2, 1, 1]), 1, 'valid').print(); // [[[[[36]]]]]
 * ```
 */
export function conv3d(
  x: Arg,
  filter: Arg,
  strides: number | readonly [number, number, number],
  pad: PadSpec,
  dataFormat: 'NDHWC' | 'NCDHW' = 'NDHWC',
  dilations: number | readonly [number, number, number] = [1, 1, 1],
  dimRoundingMode?: DimRoundingMode,
): Tensor {
  return convPublic(CONV3D, x, filter, strides, pad, dataFormat, dilations, dimRoundingMode);
}
