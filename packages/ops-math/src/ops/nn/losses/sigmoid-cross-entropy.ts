import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../../util.js';
import { abs } from '../../elementwise/abs.js';
import { add } from '../../elementwise/add.js';
import { exp } from '../../elementwise/exp.js';
import { log1p } from '../../elementwise/log1p.js';
import { mul } from '../../elementwise/mul.js';
import { neg } from '../../elementwise/neg.js';
import { relu } from '../../elementwise/relu.js';
import { sub } from '../../elementwise/sub.js';
import { lossOperands } from './common.js';
import { Reduction, computeWeightedLoss } from './compute-weighted-loss.js';

/**
 * Binary cross-entropy on logits x with labels z, in the overflow-free form
 * max(x, 0) − x·z + log(1 + e^−|x|). Label smoothing moves z toward 0.5.
 *
 * @example
 * ```ts
 * losses.sigmoidCrossEntropy(tensor([1, 0]), tensor([0, 0])).print(); // 0.6931
 * ```
 */
export function sigmoidCrossEntropy(
  multiClassLabels: Arg,
  logits: Arg,
  weights?: Arg | null,
  labelSmoothing = 0,
  reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  const [labels, x] = lossOperands('sigmoidCrossEntropy', multiClassLabels, logits, [
    'multiClassLabels',
    'logits',
  ]);
  const z =
    labelSmoothing > 0 ? add(mul(labels, 1 - labelSmoothing), 0.5 * labelSmoothing) : labels;
  const losses = add(sub(relu(x), mul(x, z)), log1p(exp(neg(abs(x)))));
  return computeWeightedLoss(losses, weights, reduction);
}
