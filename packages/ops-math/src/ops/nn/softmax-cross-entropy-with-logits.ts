import type { OpDef, Tensor } from '@tapegrad/core';
import { DTypeError, ShapeError, fmtShape, shapesEqual } from '@tapegrad/core';
import { assertFloat, run } from '../../util.js';
import { mul } from '../elementwise/mul.js';
import { neg } from '../elementwise/neg.js';
import { sum } from '../reduction/sum.js';
import { expandDims } from '../shape/expand-dims.js';
import { logSoftmax } from './log-softmax.js';
import { softmaxCrossEntropyGrad } from './softmax-cross-entropy-grad.js';

const OP = 'softmaxCrossEntropy';

/**
 * Per-row softmax cross-entropy along the last axis, −Σ labels·logSoftmax(logits), in one op
 * (losses.softmaxCrossEntropy reduces it). ∂/∂logits = dy·(softmax·Σ labels − labels) is one
 * op too; ∂/∂labels = −dy·logSoftmax(logits).
 */
export const SoftmaxCrossEntropyWithLogitsOp: OpDef = {
  name: 'SoftmaxCrossEntropyWithLogits',
  inputNames: ['labels', 'logits'],
  inferShape([labels, x]) {
    assertFloat(OP, 'logits', x!.dtype);
    if (labels!.dtype !== x!.dtype) {
      throw new DTypeError(
        `${OP}: labels (${labels!.dtype}) and logits (${x!.dtype}) must have one dtype`,
      );
    }
    if (!shapesEqual(labels!.shape, x!.shape) || x!.shape.length === 0) {
      throw new ShapeError(
        `${OP}: labels ${fmtShape(labels!.shape)} and logits ${fmtShape(x!.shape)} must have one shape of rank >= 1`,
      );
    }
    return x!.shape.slice(0, -1);
  },
  inferDtype: ([, x]) => x!.dtype,
  grad: (dy, { inputs: [labels, x], needsInputGrad }) => [
    needsInputGrad[0] ? mul(expandDims(dy, -1), neg(logSoftmax(x!))) : null,
    needsInputGrad[1] ? softmaxCrossEntropyGrad(dy, labels!, x!) : null,
  ],
  composite: ([labels, x]) => neg(sum(mul(labels!, logSoftmax(x!)), -1)),
};

/** −Σ labels·logSoftmax(logits) over the last axis (same shapes and float dtype). */
export function softmaxCrossEntropyWithLogits(labels: Tensor, logits: Tensor): Tensor {
  return run(logits.engine, 'SoftmaxCrossEntropyWithLogits', [labels, logits]);
}
