import type { Tensor } from '@tapegrad/core';
import { ArgumentError, engineOf, shapesEqual } from '@tapegrad/core';
import type { Arg } from '../../../util.js';
import { broadcastRule, cast, run, toTensor } from '../../../util.js';
import { div } from '../../elementwise/div.js';
import { mul } from '../../elementwise/mul.js';
import { sum } from '../../reduction/sum.js';
import { broadcastTo } from '../../shape/broadcast-to.js';

/** How a loss tensor is reduced (tfjs's `Reduction`). */
export enum Reduction {
  NONE = 0,
  MEAN = 1,
  SUM = 2,
  SUM_BY_NONZERO_WEIGHTS = 3,
}

/**
 * Weights and reduces per-element losses, as tfjs.losses.computeWeightedLoss:
 * NONE keeps losses·weights; SUM sums them; MEAN divides by Σweights (broadcast);
 * SUM_BY_NONZERO_WEIGHTS (default) divides by the number of non-zero weights.
 *
 * @example
 * ```ts
 * // weighted mean over the non-zero weights: (1 + 3) / 2
 * losses.computeWeightedLoss(tensor([1, 2, 3]), tensor([1, 0, 1])).print(); // 2
 * ```
 */
export function computeWeightedLoss(
  losses: Arg,
  weights?: Arg | null,
  reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS,
): Tensor {
  const engine = engineOf(losses, weights);
  const l = toTensor(engine, losses, 'losses', 'computeWeightedLoss');
  if (!(reduction in Reduction)) {
    throw new ArgumentError(
      `computeWeightedLoss: unknown reduction ${String(reduction)} (use Reduction.NONE, MEAN, SUM or SUM_BY_NONZERO_WEIGHTS)`,
    );
  }
  if (weights === undefined || weights === null) {
    if (reduction === Reduction.NONE) return l;
    if (reduction === Reduction.SUM) return sum(l);
    return div(sum(l), l.size);
  }
  const w = toTensor(engine, weights, 'weights', 'computeWeightedLoss', l.dtype);
  broadcastRule('computeWeightedLoss')([l, w]);
  const weighted = mul(l, w);
  if (reduction === Reduction.NONE) return weighted;
  if (reduction === Reduction.SUM) return sum(weighted);
  const wFull = shapesEqual(w.shape, weighted.shape) ? w : broadcastTo(w, weighted.shape);
  if (reduction === Reduction.MEAN) return div(sum(weighted), sum(wFull));
  const nonzero = cast(
    run(engine, 'NotEqual', [wFull, toTensor(engine, 0, 'zero', 'computeWeightedLoss', w.dtype)]),
    l.dtype,
  );
  return div(sum(weighted), sum(nonzero));
}
