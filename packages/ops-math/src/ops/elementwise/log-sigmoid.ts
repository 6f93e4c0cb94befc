import type { Tensor } from '@tapegrad/core';
import type { Arg } from '../../util.js';
import { composed, elementwiseUnary, runUnary } from './common.js';
import { mul } from './mul.js';
import { neg } from './neg.js';
import { sigmoid } from './sigmoid.js';
import { softplus } from './softplus.js';

/*
 * Composite (as tfjs): log σ(x) = -softplus(-x), stable for large |x|.
 * d log σ(x)/dx = 1 - σ(x) = σ(-x).
 */
export const LogSigmoidOp = elementwiseUnary('LogSigmoid', {
  grad: (dy, { inputs: [x] }) => [mul(dy, sigmoid(neg(x!)))],
  composite: ([x]) => composed([x!], () => neg(softplus(neg(x!)))),
});

/**
 * log(σ(x)) = -log(1 + e^-x), without overflow (int32/bool inputs are cast to float32).
 *
 * @example
 * ```ts
 * logSigmoid(tensor([0, 2])).print(); // [-0.6931, -0.1269]
 * ```
 */
export function logSigmoid(x: Arg): Tensor {
  return runUnary('logSigmoid', 'LogSigmoid', x, 'float');
}
