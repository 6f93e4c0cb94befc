import type { OpDef } from '@tapegrad/core';
import { AvgPool3DOp, avgPool3d } from './avg-pool-3d.js';
import { AvgPool3DGradOp } from './avg-pool-3d-grad.js';
import { AvgPoolOp, avgPool } from './avg-pool.js';
import { AvgPoolGradOp } from './avg-pool-grad.js';
import { conv1d } from './conv1d.js';
import { Conv2DOp, conv2d } from './conv2d.js';
import { Conv2DBackpropFilterOp } from './conv2d-backprop-filter.js';
import { Conv2DBackpropInputOp } from './conv2d-backprop-input.js';
import { conv2dTranspose } from './conv2d-transpose.js';
import { Conv3DOp, conv3d } from './conv3d.js';
import { Conv3DBackpropFilterOp } from './conv3d-backprop-filter.js';
import { Conv3DBackpropInputOp } from './conv3d-backprop-input.js';
import { DepthwiseConv2DOp, depthwiseConv2d } from './depthwise-conv2d.js';
import { DepthwiseConv2DBackpropFilterOp } from './depthwise-conv2d-backprop-filter.js';
import { DepthwiseConv2DBackpropInputOp } from './depthwise-conv2d-backprop-input.js';
import { MaxPool3DOp, maxPool3d } from './max-pool-3d.js';
import { MaxPool3DGradOp } from './max-pool-3d-grad.js';
import { MaxPool3DGradGradOp } from './max-pool-3d-grad-grad.js';
import { MaxPoolOp, maxPool } from './max-pool.js';
import { MaxPoolGradOp } from './max-pool-grad.js';
import { MaxPoolGradGradOp } from './max-pool-grad-grad.js';
import { separableConv2d } from './separable-conv2d.js';

export {
  avgPool,
  avgPool3d,
  conv1d,
  conv2d,
  conv2dTranspose,
  conv3d,
  depthwiseConv2d,
  maxPool,
  maxPool3d,
  separableConv2d,
};

export {
  AvgPool3DGradOp,
  AvgPool3DOp,
  AvgPoolGradOp,
  AvgPoolOp,
  Conv2DBackpropFilterOp,
  Conv2DBackpropInputOp,
  Conv2DOp,
  Conv3DBackpropFilterOp,
  Conv3DBackpropInputOp,
  Conv3DOp,
  DepthwiseConv2DBackpropFilterOp,
  DepthwiseConv2DBackpropInputOp,
  DepthwiseConv2DOp,
  MaxPool3DGradGradOp,
  MaxPool3DGradOp,
  MaxPool3DOp,
  MaxPoolGradGradOp,
  MaxPoolGradOp,
  MaxPoolOp,
};

export type { ConvBackpropFilterAttrs, ConvBackpropInputAttrs } from './conv-common.js';
export type { PoolGradAttrs } from './pool-common.js';

/** Every primitive of the conv family (the public functions normalize to these). */
export const convOps: OpDef[] = [
  Conv2DOp,
  Conv2DBackpropInputOp,
  Conv2DBackpropFilterOp,
  Conv3DOp,
  Conv3DBackpropInputOp,
  Conv3DBackpropFilterOp,
  DepthwiseConv2DOp,
  DepthwiseConv2DBackpropInputOp,
  DepthwiseConv2DBackpropFilterOp,
  MaxPoolOp,
  MaxPoolGradOp,
  MaxPoolGradGradOp,
  AvgPoolOp,
  AvgPoolGradOp,
  MaxPool3DOp,
  MaxPool3DGradOp,
  MaxPool3DGradGradOp,
  AvgPool3DOp,
  AvgPool3DGradOp,
];

/** Chainable methods (those tfjs has on Tensor): the tensor is the first argument. */
export const convMethodFunctions = {
  conv1d,
  conv2d,
  conv2dTranspose,
  depthwiseConv2d,
  separableConv2d,
  maxPool,
  avgPool,
};
