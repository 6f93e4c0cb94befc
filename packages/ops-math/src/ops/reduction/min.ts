import type { OpDef, Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { run } from '../../util.js';
import type { ReduceAttrs } from './common.js';
import { extremumGrad, reduceArgs, reduceOp } from './common.js';

/** Minimum over axes; NaN propagates. Gradient: to every position equal to the min (see extremumGrad). */
export const MinOp: OpDef<ReduceAttrs> = reduceOp('Min', 'min', { grad: extremumGrad });

/**
 * Minimum over `axis` (all axes by default; negative axes count from the end).
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * min(x).print(); // 1
 * x.min(0).print(); // [1, 2]
 * ```
 */
export function min(x: Arg, axis?: number | number[] | null, keepDims = false): Tensor {
  const { engine, t, axes } = reduceArgs('min', x, axis);
  return run(engine, 'Min', [t], { axes, keepDims });
}
