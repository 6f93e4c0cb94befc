import type { Tensor, Variable } from '@tapegrad/core';
import { createFill } from '@tapegrad/core';
import { abs, add, div, maximum, mul, sub } from '@tapegrad/ops-math';
import type { LearningRate } from './optimizer.js';
import { Optimizer } from './optimizer.js';
import { assertBeta } from './validate.js';

/**
 * Adamax (torch.optim.Adamax): m ← β1·m + (1−β1)·g; u ← max(β2·u, |g| + ε);
 * p ← p − lr/(1−β1ᵗ)·m/u.
 *
 * @example
 * ```ts
 * const w = variable(tensor([1, 2]));
 * const opt = new AdamaxOptimizer(0.1);
 * opt.minimize(() => w.square().sum(), false, [w]);
 * w.print(); // [0.9, 1.9]
 * ```
 */
export class AdamaxOptimizer extends Optimizer {
  constructor(
    learningRate: LearningRate = 0.002,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-8,
  ) {
    super(learningRate);
    assertBeta('adamax', 'beta1', beta1);
    assertBeta('adamax', 'beta2', beta2);
  }

  protected update(v: Variable, g: Tensor, lr: number): void {
    const zeros = () => createFill(v.engine, v.shape, 0, v.dtype);
    const m = add(mul(this.getSlot(v, 'm', zeros), this.beta1), mul(g, 1 - this.beta1));
    const u = maximum(mul(this.getSlot(v, 'u', zeros), this.beta2), add(abs(g), this.epsilon));
    this.setSlot(v, 'm', m);
    this.setSlot(v, 'u', u);
    const stepSize = lr / (1 - this.beta1 ** this.iterations);
    v.assign(sub(v, mul(div(m, u), stepSize)));
  }
}
