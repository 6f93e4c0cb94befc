import type { Tensor, Variable } from '@tapegrad/core';
import { mul, sub } from '@tapegrad/ops-math';
import type { LearningRate } from './optimizer.js';
import { Optimizer } from './optimizer.js';

/**
 * Plain gradient descent: p ← p − lr·g.
 *
 * @example
 * ```ts
 * const w = variable(tensor([1, 2]));
 * const opt = new SGDOptimizer(0.1); // w -= 0.1 * grad
 * opt.minimize(() => w.square().sum(), false, [w]);
 * w.print(); // [0.8, 1.6]
 * ```
 */
export class SGDOptimizer extends Optimizer {
  constructor(learningRate: LearningRate) {
    super(learningRate);
  }

  protected update(v: Variable, g: Tensor, lr: number): void {
    v.assign(sub(v, mul(g, lr)));
  }
}
