import type { OpDef } from '@tapegrad/core';
import type { PoolGradAttrs } from './pool-common.js';
import { AVG_POOL, avgGradShape, runPool } from './pool-common.js';

/**
 * Gradient of avgPool (the adjoint of AvgPool): spreads each dy element over its window's real
 * elements, divided by their count. Linear in dy; its gradient is AvgPool again.
 */
export const AvgPoolGradOp: OpDef<PoolGradAttrs> = {
  name: 'AvgPoolGrad',
  inputNames: ['dy'],
  inferShape: avgGradShape(AVG_POOL),
  grad: (dz, { attrs }) => [runPool('AvgPool', [dz], attrs)],
};
