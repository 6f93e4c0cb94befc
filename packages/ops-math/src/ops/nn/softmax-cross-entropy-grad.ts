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
 * row. Its own gradient (so a recorded backward pass, as the functional `grads` make, still
 * runs this op's kernel): with g = dy·(s·L − labels), s = softmax(x), L = Σ labels and the
 * seed G, ∂/∂dy = Σ G·(s·L − labels); ∂/∂labels = dy·(Σ G·s − G); ∂/∂x = dy·L·s·(G − Σ G·s).
 */
export const SoftmaxCrossEntropyGradOp: OpDef = {
  name: 'SoftmaxCrossEntropyGrad',
  inputNames: ['dy', 'labels', 'logits'],
  // The forward op checked the shapes: dy is the logits' shape without its last axis.
  inferShape: ([, , x]) => x!.shape,
  inferDtype: ([, , x]) => x!.dtype,
  grad: (seed, { inputs: [dy, labels, x], needsInputGrad }) => {
    const s = softmax(x!);
    const rowSum = sum(labels!, -1, true);
    const seedDotS = sum(mul(seed, s), -1, true);
    const dyColumn = expandDims(dy!, -1);
    return [
      needsInputGrad[0] ? sum(mul(seed, sub(mul(s, rowSum), labels!)), -1) : null,
      needsInputGrad[1] ? mul(dyColumn, sub(seedDotS, seed)) : null,
      needsInputGrad[2] ? mul(mul(dyColumn, rowSum), mul(s, sub(seed, seedDotS))) : null,
    ];
  },
  composite: ([dy, labels, x]) =>
    mul(expandDims(dy!, -1), sub(mul(softmax(x!), sum(labels!, -1, true)), labels!)),
};

/** dy · (softmax(logits)·Σ labels − labels), rows along the last axis (see SoftmaxCrossEntropyGradOp). */
export function softmaxCrossEntropyGrad(dy: Tensor, labels: Tensor, logits: Tensor): Tensor {
  return run(logits.engine, 'SoftmaxCrossEntropyGrad', [dy, labels, logits]);
}
