import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../../util.js';
import { add } from '../../elementwise/add.js';
import { log } from '../../elementwise/log.js';
import { mul } from '../../elementwise/mul.js';
import { neg } from '../../elementwise/neg.js';
import { sub } from '../../elementwise/sub.js';
import { lossOperands } from './common.js';
import { Reduction, computeWeightedLoss } from './compute-weighted-loss.js';

/**
 * −y·log(p + ε) − (1 − y)·log(1 − p + ε), weighted and reduced (predictions are probabilities).
 *
 * @example
 * ```ts
 * losses.logLoss(tensor([1, 0]), tensor([0.9, 0.2])).print(); // 0.1643
 * ```
 */
export function logLoss(
  labels: Arg,
  predictions: Arg,
  weights?: Arg | null,
  epsilon = 1e-7,
  reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  const [y, p] = lossOperands('logLoss', labels, predictions);
  const positive = mul(y, log(add(p, epsilon)));
  const negative = mul(sub(1, y), log(add(sub(1, p), epsilon)));
  return computeWeightedLoss(neg(add(positive, negative)), weights, reduction);
}
