import type { Tensor, Variable } from '@tapegrad/core';
import { mul, sub } from '@tapegrad/ops-math';
import type { LearningRate } from './optimizer.js';
import { Optimizer } from './optimizer.js';

/** Plain gradient descent: p ← p − lr·g. */
export class SGDOptimizer extends Optimizer {
  constructor(learningRate: LearningRate) {
    super(learningRate);
  }

  protected update(v: Variable, g: Tensor, lr: number): void {
    v.assign(sub(v, mul(g, lr)));
  }
}
