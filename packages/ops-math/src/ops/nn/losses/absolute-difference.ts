import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../../util.js';
import { abs } from '../../elementwise/abs.js';
import { sub } from '../../elementwise/sub.js';
import { lossOperands } from './common.js';
import { Reduction, computeWeightedLoss } from './compute-weighted-loss.js';

/**
 * |labels − predictions|, weighted and reduced.
 *
 * @example
 * ```ts
 * losses.absoluteDifference(tensor([1, 2]), tensor([2, 4])).print(); // 1.5
 * ```
 */
export function absoluteDifference(
  labels: Arg,
  predictions: Arg,
  weights?: Arg | null,
  reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  const [l, p] = lossOperands('absoluteDifference', labels, predictions);
  return computeWeightedLoss(abs(sub(l, p)), weights, reduction);
}
