import type { Tensor } from '@tapegrad/core';
import { ArgumentError } from '@tapegrad/core';
import type { Arg } from '../../../util.js';
import { abs } from '../../elementwise/abs.js';
import { add } from '../../elementwise/add.js';
import { minimum } from '../../elementwise/minimum.js';
import { mul } from '../../elementwise/mul.js';
import { sub } from '../../elementwise/sub.js';
import { lossOperands } from './common.js';
import { Reduction, computeWeightedLoss } from './compute-weighted-loss.js';

/**
 * Quadratic for |error| ≤ delta, linear beyond: 0.5·q² + delta·(|e| − q) with q = min(|e|, delta).
 *
 * @example
 * ```ts
 * losses.huberLoss(tensor([0, 0]), tensor([0.5, 3])).print(); // 1.3125
 * ```
 */
export function huberLoss(
  labels: Arg,
  predictions: Arg,
  weights?: Arg | null,
  delta = 1,
  reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  if (!(delta > 0)) throw new ArgumentError(`huberLoss: delta must be positive, got ${delta}`);
  const [l, p] = lossOperands('huberLoss', labels, predictions);
  const absError = abs(sub(p, l));
  const quadratic = minimum(absError, delta);
  const linear = sub(absError, quadratic);
  return computeWeightedLoss(
    add(mul(mul(quadratic, quadratic), 0.5), mul(linear, delta)),
    weights,
    reduction,
  );
}
