import type { OpDef } from '@tapegrad/core';
import type { ConvBackpropFilterAttrs } from './conv-common.js';
import { CONV2D, backpropFilterShape, convBackpropInput, convForward } from './conv-common.js';

/**
 * g = ∂⟨dy, conv2d(x, filter)⟩/∂filter for a filter of shape `filterShape` (TF's
 * Conv2DBackpropFilter). Linear in x and in dy.
 */
export const Conv2DBackpropFilterOp: OpDef<ConvBackpropFilterAttrs> = {
  name: 'Conv2DBackpropFilter',
  inputNames: ['x', 'dy'],
  inferShape: backpropFilterShape(CONV2D),
  // ⟨dg, g⟩ = ⟨dy, conv2d(x, dg)⟩: d/dx = backpropInput(dy, dg), d/ddy = conv2d(x, dg).
  grad: (dg, { inputs: [x, dy], attrs, needsInputGrad: [needX, needDy] }) => [
    needX ? convBackpropInput(CONV2D, dy!, dg, x!.shape, attrs) : null,
    needDy ? convForward(CONV2D, x!, dg, attrs) : null,
  ],
};
