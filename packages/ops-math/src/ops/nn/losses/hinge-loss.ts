import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../../util.js';
import { mul } from '../../elementwise/mul.js';
import { relu } from '../../elementwise/relu.js';
import { sub } from '../../elementwise/sub.js';
import { lossOperands } from './common.js';
import { Reduction, computeWeightedLoss } from './compute-weighted-loss.js';

/**
 * max(0, 1 − (2y − 1)·p) for labels y in {0, 1}, weighted and reduced.
 *
 * @example
 * ```ts
 * // labels in {0, 1}; loss = max(0, 1 - (2 * label - 1) * prediction)
 * losses.hingeLoss(tensor([1, 0]), tensor([0.5, -2])).print(); // 0.25
 * ```
 */
export function hingeLoss(
  labels: Arg,
  predictions: Arg,
  weights?: Arg | null,
  reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  const [y, p] = lossOperands('hingeLoss', labels, predictions);
  const signed = sub(mul(y, 2), 1);
  return computeWeightedLoss(relu(sub(1, mul(signed, p))), weights, reduction);
}
