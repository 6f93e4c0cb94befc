import type { Tensor, Variable } from '@tapegrad/core';
import { ArgumentError, createFill } from '@tapegrad/core';
import { add, mul, sub } from '@tapegrad/ops-math';
import type { LearningRate } from './optimizer.js';
import { Optimizer } from './optimizer.js';

/**
 * SGD with momentum (torch.optim.SGD, dampening 0): b ← μ·b + g;
 * p ← p − lr·b, or with Nesterov p ← p − lr·(g + μ·b).
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
    const buf = add(mul(prev, this.momentum), g);
    this.setSlot(v, 'momentum', buf);
    const direction = this.useNesterov ? add(g, mul(buf, this.momentum)) : buf;
    v.assign(sub(v, mul(direction, lr)));
  }
}
