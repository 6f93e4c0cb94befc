import type { Tensor } from '@tapegrad/core';
import { isFloatDtype } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { cast, run } from '../../util.js';
import { reducedShape } from './common.js';
import { reduceArgs } from './common.js';

/**
 * log(Σ exp(x)) over `axis`, computed stably as m + log(Σ exp(x − m)) with m the max
 * (a composite). The shift m is a constant of the graph (stopGradient): the gradient is
 * softmax(x) either way, and this keeps max's tie handling out of it. As in tfjs, an
 * all −∞ (or +∞) slice gives NaN. Integer inputs are computed in float32.
 *
 * @example
 * ```ts
 * logSumExp(tensor([0, 0])).print(); // 0.6931
 * logSumExp(tensor([[1, 2], [3, 4]]), 1).print(); // [2.3133, 4.3133]
 * ```
 */
export function logSumExp(x: Arg, axis?: number | number[] | null, keepDims = false): Tensor {
  const { engine: e, t: t0, axes } = reduceArgs('logSumExp', x, axis);
  const t = isFloatDtype(t0.dtype) ? t0 : cast(t0, 'float32');
  const m = run(e, 'StopGradient', [run(e, 'Max', [t], { axes, keepDims: true })]);
  const s = run(e, 'Sum', [run(e, 'Exp', [run(e, 'Sub', [t, m])])], { axes, keepDims: true });
  const out = run(e, 'Add', [run(e, 'Log', [s]), m]);
  return keepDims ? out : run(e, 'Reshape', [out], { shape: reducedShape(t.shape, axes, false) });
}
