import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { elementwiseUnary, runUnary, zeroGrad } from './common.js';

// Piecewise constant: zero gradient.
export const FloorOp = elementwiseUnary('Floor', {
  dtypes: 'numeric',
  grad: zeroGrad,
});

/** Largest integer <= x (int32 stays int32; bool is cast to int32). */
export function floor(x: Arg): Tensor {
  return runUnary('floor', 'Floor', x, 'numeric');
}
