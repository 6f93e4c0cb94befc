import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { comparisonOp, runBinary } from './common.js';

export const GreaterEqualOp = comparisonOp('GreaterEqual');

/**
 * a >= b, elementwise with broadcasting: a bool tensor (operands are upcast to one dtype; NaN compares false except for notEqual).
 *
 * @example
 * ```ts
 * greaterEqual(tensor([1, 2]), 2).print(); // [false, true]
 * ```
 */
export function greaterEqual(a: Arg, b: Arg): Tensor {
  return runBinary('greaterEqual', 'GreaterEqual', a, b, 'any');
}
