import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { argReduce, argReduceOp } from './arg-max.js';

export const ArgMinOp = argReduceOp('ArgMin', 'argMin');

/**
 * Index (int32) of the minimum along `axis` (default 0, as in tfjs); the first one on ties.
 *
 * @example
 * ```ts
 * argMin(tensor([3, 1, 2])).print(); // 1
 * ```
 */
export function argMin(x: Arg, axis = 0): Tensor {
  return argReduce('ArgMin', 'argMin', x, axis);
}
