import type { Tensor, Variable } from '@tapegrad/core';
import { createFill } from '@tapegrad/core';
import { adamUpdate } from '@tapegrad/ops-math';
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

  /**
   * The Adam step, shared with AdamW (`weightDecay` > 0: decoupled decay), as one fused
   * `adamUpdate` op: the new parameter and both moments in one pass.
   */
  protected applyAdam(v: Variable, g: Tensor, lr: number, weightDecay = 0): void {
    const zeros = () => createFill(v.engine, v.shape, 0, v.dtype);
    const next = adamUpdate(v, g, this.getSlot(v, 'm', zeros), this.getSlot(v, 'v', zeros), {
      lr,
      step: this.iterations,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      weightDecay,
    });
    this.setSlot(v, 'm', next.m);
    this.setSlot(v, 'v', next.v);
    v.assign(next.param);
  }
}
