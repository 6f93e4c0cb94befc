import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../../util.js';
import { squaredDifference } from '../../elementwise/squared-difference.js';
import { lossOperands } from './common.js';
import { Reduction, computeWeightedLoss } from './compute-weighted-loss.js';

/**
 * (labels − predictions)², weighted and reduced.
 *
 * @example
 * ```ts
 * losses.meanSquaredError(tensor([1, 2]), tensor([2, 4])).print(); // 2.5
 * ```
 */
export function meanSquaredError(
  labels: Arg,
  predictions: Arg,
  weights?: Arg | null,
  reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  const [l, p] = lossOperands('meanSquaredError', labels, predictions);
  return computeWeightedLoss(squaredDifference(l, p), weights, reduction);
}
