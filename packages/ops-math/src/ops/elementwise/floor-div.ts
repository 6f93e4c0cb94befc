import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseBinary, runBinary, zeroGrad } from './common.js';

// floor(a/b) is piecewise constant in a and b: zero gradients (tfjs reuses Div's gradient here,
// which is not the derivative of floor division).
export const FloorDivOp = elementwiseBinary('FloorDiv', { grad: zeroGrad });

/**
 * floor(a / b), elementwise with broadcasting (int32 by zero gives 0; bool is cast to int32).
 *
 * @example
 * ```ts
 * floorDiv(tensor([7, -7]), tensor([2, 2])).print(); // [3, -4]
 * ```
 */
export function floorDiv(a: Arg, b: Arg): Tensor {
  return runBinary('floorDiv', 'FloorDiv', a, b, 'numeric');
}
