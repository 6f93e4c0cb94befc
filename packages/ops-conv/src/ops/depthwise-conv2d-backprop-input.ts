import type { OpDef } from '@tapegrad/core';
import type { ConvBackpropInputAttrs } from './conv-common.js';
import {
  DEPTHWISE_CONV2D,
  backpropInputShape,
  convBackpropFilter,
  convForward,
} from './conv-common.js';

/**
 * z = ∂⟨dy, depthwiseConv2d(x, filter)⟩/∂x for an x of shape `inputShape` (TF's DepthwiseConv2DBackpropInput;
 * also the transposed convolution). Linear in dy and in filter.
 */
export const DepthwiseConv2DBackpropInputOp: OpDef<ConvBackpropInputAttrs> = {
  name: 'DepthwiseConv2DBackpropInput',
  inputNames: ['dy', 'filter'],
  inferShape: backpropInputShape(DEPTHWISE_CONV2D),
  // ⟨dz, z⟩ = ⟨depthwiseConv2d(dz, filter), dy⟩: d/ddy = depthwiseConv2d(dz, filter), d/dfilter = backpropFilter(dz, dy).
  grad: (dz, { inputs: [dy, filter], attrs, needsInputGrad: [needDy, needFilter] }) => [
    needDy ? convForward(DEPTHWISE_CONV2D, dz, filter!, attrs) : null,
    needFilter ? convBackpropFilter(DEPTHWISE_CONV2D, dz, dy!, filter!.shape, attrs) : null,
  ],
};
