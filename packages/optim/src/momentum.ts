import type { Tensor, Variable } from '@tapegrad/core';
import { ArgumentError, createFill } from '@tapegrad/core';
import { momentumUpdate } from '@tapegrad/ops-math';
import type { LearningRate } from './optimizer.js';
import { Optimizer } from './optimizer.js';

/**
 * SGD with momentum (torch.optim.SGD, dampening 0): b ← μ·b + g;
 * p ← p − lr·b, or with Nesterov p ← p − lr·(g + μ·b).
 *
 * @example
 * ```ts
 * const w = variable(tensor([1, 2]));
 * const opt = new MomentumOptimizer(0.1, 0.9);
 * for (let i = 0; i < 2; i++) opt.minimize(() => w.square().sum(), false, [w]);
 * w.print(); // [0.46, 0.92]
 * ```
 */
export class MomentumOptimizer extends Optimizer {
  constructor(
    learningRate: LearningRate,
    readonly momentum: number,
    readonly useNesterov = false,
  ) {
    super(learningRate);
    if (!(momentum >= 0))
      throw new ArgumentError(`momentum: momentum must be >= 0, got ${momentum}`);
  }

  protected update(v: Variable, g: Tensor, lr: number): void {
    const prev = this.getSlot(v, 'momentum', () => createFill(v.engine, v.shape, 0, v.dtype));
    const next = momentumUpdate(v, g, prev, {
      lr,
      momentum: this.momentum,
      nesterov: this.useNesterov,
    });
    this.setSlot(v, 'momentum', next.buf);
    v.assign(next.param);
  }
}
