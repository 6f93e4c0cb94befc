import type { OpDef, Tensor } from '@tapegrad/core';
import { run } from '../../util.js';
import { mul } from '../elementwise/mul.js';
import { sub } from '../elementwise/sub.js';
import { sum } from '../reduction/sum.js';
import { expandDims } from '../shape/expand-dims.js';
import { softmax } from './softmax.js';

/**
 * The gradient of SoftmaxCrossEntropyWithLogits with respect to the logits, in one op:
 * with loss = −Σ labels·logSoftmax(x), ∂loss/∂x = softmax(x)·Σ labels − labels, times dy per
 * row. No gradient of its own: higher orders differentiate the composition.
 */
export const SoftmaxCrossEntropyGradOp: OpDef = {
  name: 'SoftmaxCrossEntropyGrad',
  inputNames: ['dy', 'labels', 'logits'],
  // The forward op checked the shapes: dy is the logits' shape without its last axis.
  inferShape: ([, , x]) => x!.shape,
  inferDtype: ([, , x]) => x!.dtype,
  composite: ([dy, labels, x]) =>
    mul(expandDims(dy!, -1), sub(mul(softmax(x!), sum(labels!, -1, true)), labels!)),
};

/** dy · (softmax(logits)·Σ labels − labels), rows along the last axis (see SoftmaxCrossEntropyGradOp). */
export function softmaxCrossEntropyGrad(dy: Tensor, labels: Tensor, logits: Tensor): Tensor {
  return run(logits.engine, 'SoftmaxCrossEntropyGrad', [dy, labels, logits]);
}
