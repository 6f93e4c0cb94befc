import type { Tensor } from '@tapegrad/core';
import { isFloatDtype } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { cast, run } from '../../util.js';
import { div } from '../elementwise/div.js';
import { reduceArgs } from './common.js';

/**
 * Mean over `axis` (all axes by default; negative axes count from the end). A composite
 * (sum / count). As in tfjs, int32 and bool inputs give a float32 result (tfjs casts x to
 * the dtype of its float32 count scalar); float64 stays float64.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * mean(x).print(); // 2.5
 * x.mean(1, true).print(); // [[1.5], [3.5]]
 * ```
 */
export function mean(x: Arg, axis?: number | number[] | null, keepDims = false): Tensor {
  const r = reduceArgs('mean', x, axis);
  const t = isFloatDtype(r.t.dtype) ? r.t : cast(r.t, 'float32');
  let count = 1;
  for (const a of r.axes) count *= t.shape[a]!;
  return div(run(r.engine, 'Sum', [t], { axes: r.axes, keepDims }), count);
}
