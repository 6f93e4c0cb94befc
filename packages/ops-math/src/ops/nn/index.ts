import type { OpDef } from '@tapegrad/core';
import { LogSoftmaxOp, logSoftmax } from './log-softmax.js';
import { moments } from './moments.js';
import { SoftmaxOp, softmax } from './softmax.js';
import { SoftmaxCrossEntropyGradOp } from './softmax-cross-entropy-grad.js';
import { SoftmaxCrossEntropyWithLogitsOp } from './softmax-cross-entropy-with-logits.js';

export { logSoftmax, moments, softmax };
export { Reduction, losses } from './losses/index.js';

export const nnOps: OpDef[] = [
  SoftmaxOp,
  LogSoftmaxOp,
  SoftmaxCrossEntropyWithLogitsOp,
  SoftmaxCrossEntropyGradOp,
];

export const nnMethods = { softmax, logSoftmax, moments };
