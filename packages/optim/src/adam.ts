import type { Tensor, Variable } from '@tapegrad/core';
import { createFill } from '@tapegrad/core';
import { add, div, mul, sqrt, square, sub } from '@tapegrad/ops-math';
import type { LearningRate } from './optimizer.js';
import { Optimizer } from './optimizer.js';
import { assertBeta } from './validate.js';

/**
 * Adam (torch.optim.Adam): m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
 * p ← p − lr·(m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε).
 *
 * @example
 * ```ts
 * const w = variable(tensor([1, 2]));
 * const opt = new AdamOptimizer(0.1);
 * opt.minimize(() => w.square().sum(), false, [w]); // the first step moves each weight by lr
 * w.print(); // [0.9, 1.9]
 * ```
 */
export class AdamOptimizer extends Optimizer {
  constructor(
    learningRate: LearningRate = 0.001,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-8,
  ) {
    super(learningRate);
    assertBeta('adam', 'beta1', beta1);
    assertBeta('adam', 'beta2', beta2);
  }

  protected update(v: Variable, g: Tensor, lr: number): void {
    this.applyAdam(v, g, lr);
  }

  /** The Adam step, shared with AdamW. */
  protected applyAdam(v: Variable, g: Tensor, lr: number): void {
    const t = this.iterations;
    const zeros = () => createFill(v.engine, v.shape, 0, v.dtype);
    const m = add(mul(this.getSlot(v, 'm', zeros), this.beta1), mul(g, 1 - this.beta1));
    const s = add(mul(this.getSlot(v, 'v', zeros), this.beta2), mul(square(g), 1 - this.beta2));
    this.setSlot(v, 'm', m);
    this.setSlot(v, 'v', s);
    const mHat = div(m, 1 - this.beta1 ** t);
    const denom = add(sqrt(div(s, 1 - this.beta2 ** t)), this.epsilon);
    v.assign(sub(v, mul(div(mHat, denom), lr)));
  }
}
