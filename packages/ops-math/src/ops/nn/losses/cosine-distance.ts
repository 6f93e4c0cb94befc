import type { Tensor } from '@tapegrad/core';
import { normalizeAxis } from '@tapegrad/core';
import type { Arg } from '../../../util.js';
import { mul } from '../../elementwise/mul.js';
import { sub } from '../../elementwise/sub.js';
import { sum } from '../../reduction/sum.js';
import { lossOperands } from './common.js';
import { Reduction, computeWeightedLoss } from './compute-weighted-loss.js';

/**
 * 1 − Σ_axis labels·predictions (inputs assumed unit-normalized, as in tfjs), weighted and reduced.
 *
 * @example
 * ```ts
 * losses.cosineDistance(tensor([[1, 0]]), tensor([[0, 1]]), 1).print(); // 1
 * ```
 */
export function cosineDistance(
  labels: Arg,
  predictions: Arg,
  axis: number,
  weights?: Arg | null,
  reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  const [l, p] = lossOperands('cosineDistance', labels, predictions);
  const ax = normalizeAxis('cosineDistance', axis, l.rank);
  return computeWeightedLoss(sub(1, sum(mul(l, p), ax, true)), weights, reduction);
}
