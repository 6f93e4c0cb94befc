import type { OpDef } from '@tapegrad/core';
import type { ConvBackpropInputAttrs } from './conv-common.js';
import { CONV2D, backpropInputShape, convBackpropFilter, convForward } from './conv-common.js';

/**
 * z = ∂⟨dy, conv2d(x, filter)⟩/∂x for an x of shape `inputShape` (TF's Conv2DBackpropInput;
 * also the transposed convolution). Linear in dy and in filter.
 */
export const Conv2DBackpropInputOp: OpDef<ConvBackpropInputAttrs> = {
  name: 'Conv2DBackpropInput',
  inputNames: ['dy', 'filter'],
  inferShape: backpropInputShape(CONV2D),
  // ⟨dz, z⟩ = ⟨conv2d(dz, filter), dy⟩: d/ddy = conv2d(dz, filter), d/dfilter = backpropFilter(dz, dy).
  grad: (dz, { inputs: [dy, filter], attrs, needsInputGrad: [needDy, needFilter] }) => [
    needDy ? convForward(CONV2D, dz, filter!, attrs) : null,
    needFilter ? convBackpropFilter(CONV2D, dz, dy!, filter!.shape, attrs) : null,
  ],
};
