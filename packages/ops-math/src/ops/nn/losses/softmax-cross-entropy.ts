import type { Tensor } from '@tapegrad/core';
import { upcastType } from '@tapegrad/core';
import type { Arg } from '../../../util.js';
import { cast } from '../../../util.js';
import { add } from '../../elementwise/add.js';
import { mul } from '../../elementwise/mul.js';
import { softmaxCrossEntropyWithLogits } from '../softmax-cross-entropy-with-logits.js';
import { lossOperands } from './common.js';
import { Reduction, computeWeightedLoss } from './compute-weighted-loss.js';

/**
 * Cross-entropy of one-hot (or soft) labels against softmax(logits) over the last axis:
 * −Σ labels·logSoftmax(logits) per example. Label smoothing mixes labels with 1/numClasses.
 *
 * @example
 * ```ts
 * losses.softmaxCrossEntropy(tensor([[0, 1]]), tensor([[0, 0]])).print(); // 0.6931
 * ```
 */
export function softmaxCrossEntropy(
  onehotLabels: Arg,
  logits: Arg,
  weights?: Arg | null,
  labelSmoothing = 0,
  reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  const [rawLabels, x] = lossOperands('softmaxCrossEntropy', onehotLabels, logits, [
    'onehotLabels',
    'logits',
  ]);
  const numClasses = x.shape[x.rank - 1]!;
  const labels =
    labelSmoothing > 0
      ? add(mul(rawLabels, 1 - labelSmoothing), labelSmoothing / numClasses)
      : rawLabels;
  const dtype = upcastType(labels.dtype, x.dtype);
  const perExample = softmaxCrossEntropyWithLogits(cast(labels, dtype), cast(x, dtype));
  return computeWeightedLoss(perExample, weights, reduction);
}
