import type { OpDef } from '@tapegrad/core';
import type { ConvBackpropFilterAttrs } from './conv-common.js';
import {
  DEPTHWISE_CONV2D,
  backpropFilterShape,
  convBackpropInput,
  convForward,
} from './conv-common.js';

/**
 * g = ∂⟨dy, depthwiseConv2d(x, filter)⟩/∂filter for a filter of shape `filterShape` (TF's
 * DepthwiseConv2DBackpropFilter). Linear in x and in dy.
 */
export const DepthwiseConv2DBackpropFilterOp: OpDef<ConvBackpropFilterAttrs> = {
  name: 'DepthwiseConv2DBackpropFilter',
  inputNames: ['x', 'dy'],
  inferShape: backpropFilterShape(DEPTHWISE_CONV2D),
  // ⟨dg, g⟩ = ⟨dy, depthwiseConv2d(x, dg)⟩: d/dx = backpropInput(dy, dg), d/ddy = depthwiseConv2d(x, dg).
  grad: (dg, { inputs: [x, dy], attrs, needsInputGrad: [needX, needDy] }) => [
    needX ? convBackpropInput(DEPTHWISE_CONV2D, dy!, dg, x!.shape, attrs) : null,
    needDy ? convForward(DEPTHWISE_CONV2D, x!, dg, attrs) : null,
  ],
};
