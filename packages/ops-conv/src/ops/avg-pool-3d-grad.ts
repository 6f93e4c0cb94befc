import type { OpDef } from '@tapegrad/core';
import type { PoolGradAttrs } from './pool-common.js';
import { AVG_POOL_3D, avgGradShape, runPool } from './pool-common.js';

/**
 * Gradient of avgPool3d (the adjoint of AvgPool3D): spreads each dy element over its window's real
 * elements, divided by their count. Linear in dy; its gradient is AvgPool3D again.
 */
export const AvgPool3DGradOp: OpDef<PoolGradAttrs> = {
  name: 'AvgPool3DGrad',
  inputNames: ['dy'],
  inferShape: avgGradShape(AVG_POOL_3D),
  grad: (dz, { attrs }) => [runPool('AvgPool3D', [dz], attrs)],
};
