import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { comparisonOp, runBinary } from './common.js';

export const LessOp = comparisonOp('Less');

/**
 * a < b, elementwise with broadcasting: a bool tensor (operands are upcast to one dtype; NaN compares false except for notEqual).
 *
 * @example
 * ```ts
 * less(tensor([1, 3]), 2).print(); // [true, false]
 * ```
 */
export function less(a: Arg, b: Arg): Tensor {
  return runBinary('less', 'Less', a, b, 'any');
}
