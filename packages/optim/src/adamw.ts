import type { Tensor, Variable } from '@tapegrad/core';
import { ArgumentError } from '@tapegrad/core';
import { AdamOptimizer } from './adam.js';
import type { LearningRate } from './optimizer.js';

/**
 * AdamW (torch.optim.AdamW): decoupled weight decay p ← p·(1 − lr·λ), then the Adam step.
 *
 * @example
 * ```ts
 * const w = variable(tensor([1, 2]));
 * const opt = new AdamWOptimizer(0.1, 0.9, 0.999, 1e-8, 0.01); // decoupled weight decay 0.01
 * opt.minimize(() => w.square().sum(), false, [w]); // w·(1 - 0.1·0.01) - 0.1
 * w.print(); // [0.899, 1.898]
 * ```
 */
export class AdamWOptimizer extends AdamOptimizer {
  constructor(
    learningRate: LearningRate = 0.001,
    beta1 = 0.9,
    beta2 = 0.999,
    epsilon = 1e-8,
    readonly weightDecay = 0.01,
  ) {
    super(learningRate, beta1, beta2, epsilon);
    if (!(weightDecay >= 0))
      throw new ArgumentError(`adamw: weightDecay must be >= 0, got ${weightDecay}`);
  }

  protected override update(v: Variable, g: Tensor, lr: number): void {
    this.applyAdam(v, g, lr, this.weightDecay);
  }
}
