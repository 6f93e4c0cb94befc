import type { Tensor } from '@tapegrad/core';
import { normalizeAxes } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { squaredDifference } from '../elementwise/squared-difference.js';
import { reshape } from '../shape/reshape.js';
import { reducedShape } from '../reduction/sum.js';
import { mean as meanOf } from '../reduction/mean.js';
import { floatArg } from './common.js';

/**
 * Mean and (population) variance over `axis` (all axes by default), as tfjs.moments.
 * A composition of differentiable ops, so both outputs have gradients of any order.
 *
 * @example
 * ```ts
 * const m = moments(tensor([1, 2, 3, 4]));
 * m.mean.print(); // 2.5
 * m.variance.print(); // 1.25
 * ```
 */
export function moments(
  x: Arg,
  axis?: number | number[] | null,
  keepDims = false,
): { mean: Tensor; variance: Tensor } {
  const t = floatArg(x, 'x', 'moments');
  const axes = normalizeAxes('moments', axis, t.rank);
  const mean = meanOf(t, axes, true);
  const variance = meanOf(squaredDifference(t, mean), axes, keepDims);
  return { mean: keepDims ? mean : reshape(mean, reducedShape(t.shape, axes, false)), variance };
}
