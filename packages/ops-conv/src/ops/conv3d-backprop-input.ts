import type { OpDef } from '@tapegrad/core';
import type { ConvBackpropInputAttrs } from './conv-common.js';
import { CONV3D, backpropInputShape, convBackpropFilter, convForward } from './conv-common.js';

/**
 * z = ∂⟨dy, conv3d(x, filter)⟩/∂x for an x of shape `inputShape` (TF's Conv3DBackpropInput;
 * also the transposed convolution). Linear in dy and in filter.
 */
export const Conv3DBackpropInputOp: OpDef<ConvBackpropInputAttrs> = {
  name: 'Conv3DBackpropInput',
  inputNames: ['dy', 'filter'],
  inferShape: backpropInputShape(CONV3D),
  // ⟨dz, z⟩ = ⟨conv3d(dz, filter), dy⟩: d/ddy = conv3d(dz, filter), d/dfilter = backpropFilter(dz, dy).
  grad: (dz, { inputs: [dy, filter], attrs, needsInputGrad: [needDy, needFilter] }) => [
    needDy ? convForward(CONV3D, dz, filter!, attrs) : null,
    needFilter ? convBackpropFilter(CONV3D, dz, dy!, filter!.shape, attrs) : null,
  ],
};
