import type { OpDef } from '@tapegrad/core';
import type { ConvBackpropFilterAttrs } from './conv-common.js';
import { CONV3D, backpropFilterShape, convBackpropInput, convForward } from './conv-common.js';

/**
 * g = ∂⟨dy, conv3d(x, filter)⟩/∂filter for a filter of shape `filterShape` (TF's
 * Conv3DBackpropFilter). Linear in x and in dy.
 */
export const Conv3DBackpropFilterOp: OpDef<ConvBackpropFilterAttrs> = {
  name: 'Conv3DBackpropFilter',
  inputNames: ['x', 'dy'],
  inferShape: backpropFilterShape(CONV3D),
  // ⟨dg, g⟩ = ⟨dy, conv3d(x, dg)⟩: d/dx = backpropInput(dy, dg), d/ddy = conv3d(x, dg).
  grad: (dg, { inputs: [x, dy], attrs, needsInputGrad: [needX, needDy] }) => [
    needX ? convBackpropInput(CONV3D, dy!, dg, x!.shape, attrs) : null,
    needDy ? convForward(CONV3D, x!, dg, attrs) : null,
  ],
};
