import type { Tensor, Variable } from '@tapegrad/core';
import { createFill } from '@tapegrad/core';
import { add, div, mul, sqrt, square, sub } from '@tapegrad/ops-math';
import type { LearningRate } from './optimizer.js';
import { Optimizer } from './optimizer.js';
import { assertBeta } from './validate.js';

/**
 * Adadelta (torch.optim.Adadelta): s ← ρ·s + (1−ρ)·g²; Δ ← √(u + ε)/√(s + ε)·g;
 * u ← ρ·u + (1−ρ)·Δ²; p ← p − lr·Δ.
 *
 * @example
 * ```ts
 * const w = variable(tensor([1, 2]));
 * const opt = new AdadeltaOptimizer(1, 0.95, 1e-6);
 * opt.minimize(() => w.square().sum(), false, [w]);
 * w.print(); // [0.9955, 1.9955]
 * ```
 */
export class AdadeltaOptimizer extends Optimizer {
  constructor(
    learningRate: LearningRate = 0.001,
    readonly rho = 0.95,
    readonly epsilon = 1e-6,
  ) {
    super(learningRate);
    assertBeta('adadelta', 'rho', rho);
  }

  protected update(v: Variable, g: Tensor, lr: number): void {
    const zeros = () => createFill(v.engine, v.shape, 0, v.dtype);
    const s = add(
      mul(this.getSlot(v, 'square_avg', zeros), this.rho),
      mul(square(g), 1 - this.rho),
    );
    this.setSlot(v, 'square_avg', s);
    const u = this.getSlot(v, 'acc_delta', zeros);
    const delta = mul(div(sqrt(add(u, this.epsilon)), sqrt(add(s, this.epsilon))), g);
    this.setSlot(v, 'acc_delta', add(mul(u, this.rho), mul(square(delta), 1 - this.rho)));
    v.assign(sub(v, mul(delta, lr)));
  }
}
