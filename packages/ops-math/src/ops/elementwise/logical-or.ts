import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseBinary, runBinary } from './common.js';

export const LogicalOrOp = elementwiseBinary('LogicalOr', {
  dtypes: 'bool',
  nondifferentiable: true,
});

/**
 * a OR b, elementwise with broadcasting (both must be bool, as in tfjs).
 *
 * @example
 * ```ts
 * logicalOr(tensor([false, false]), tensor([true, false])).print(); // [true, false]
 * ```
 */
export function logicalOr(a: Arg, b: Arg): Tensor {
  return runBinary('logicalOr', 'LogicalOr', a, b, 'bool');
}
