import type { OpDef, Tensor } from '@tapegrad/core';
import { engineOf, normalizeAxes } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { cast, run, toTensor } from '../../util.js';
import type { ReduceAttrs } from './common.js';
import { expandReduced, reduceOp } from './common.js';

export type { ReduceAttrs } from './common.js';
export { expandReduced, keptShape, reducedShape } from './common.js';

export const SumOp: OpDef<ReduceAttrs> = reduceOp('Sum', 'sum', {
  // Sum of bools counts them (int32), as in tfjs.
  inferDtype: ([x]) => (x!.dtype === 'bool' ? 'int32' : x!.dtype),
  grad: (dy, { inputs: [x], attrs }) => [expandReduced(dy, x!.shape, attrs.axes)],
});

/**
 * Sum over `axis` (all axes by default); negative axes count from the end.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * sum(x).print(); // 10
 * x.sum(0).print(); // [4, 6]
 * ```
 */
export function sum(x: Arg, axis?: number | number[] | null, keepDims = false): Tensor {
  const engine = engineOf(x);
  let t = toTensor(engine, x, 'x', 'sum');
  if (t.dtype === 'bool') t = cast(t, 'int32');
  const axes = normalizeAxes('sum', axis, t.rank);
  return run(engine, 'Sum', [t], { axes, keepDims });
}
