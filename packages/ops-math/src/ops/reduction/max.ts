import type { OpDef, Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run } from '../../util.js';
import type { ReduceAttrs } from './common.js';
import { extremumGrad, reduceArgs, reduceOp } from './common.js';

/** Maximum over axes; NaN propagates. Gradient: to every position equal to the max (see extremumGrad). */
export const MaxOp: OpDef<ReduceAttrs> = reduceOp('Max', 'max', { grad: extremumGrad });

/**
 * Maximum over `axis` (all axes by default; negative axes count from the end).
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * max(x).print(); // 4
 * x.max(1).print(); // [2, 4]
 * ```
 */
export function max(x: Arg, axis?: number | number[] | null, keepDims = false): Tensor {
  const { engine, t, axes } = reduceArgs('max', x, axis);
  return run(engine, 'Max', [t], { axes, keepDims });
}
