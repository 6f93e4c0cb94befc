import type { Tensor, Variable } from '@tapegrad/core';
import { createFill } from '@tapegrad/core';
import { rmspropUpdate } from '@tapegrad/ops-math';
import type { LearningRate } from './optimizer.js';
import { Optimizer } from './optimizer.js';
import { assertBeta } from './validate.js';

/**
 * RMSprop (torch.optim.RMSprop, with tfjs's argument order): s ← ρ·s + (1−ρ)·g²;
 * centered: ḡ ← ρ·ḡ + (1−ρ)·g and the denominator is √(s − ḡ²) + ε, else √s + ε;
 * with momentum μ: b ← μ·b + g/denominator, p ← p − lr·b; without: p ← p − lr·g/denominator.
 *
 * @example
 * ```ts
 * const w = variable(tensor([1, 2]));
 * const opt = new RMSPropOptimizer(0.01, 0.9); // w -= 0.01 · g / √(0.1 · g²)
 * opt.minimize(() => w.square().sum(), false, [w]);
 * w.print(); // [0.9684, 1.9684]
 * ```
 */
export class RMSPropOptimizer extends Optimizer {
  constructor(
    learningRate: LearningRate,
    readonly decay = 0.9,
    readonly momentum = 0,
    readonly epsilon = 1e-8,
    readonly centered = false,
  ) {
    super(learningRate);
    assertBeta('rmsprop', 'decay', decay);
  }

  protected update(v: Variable, g: Tensor, lr: number): void {
    const zeros = () => createFill(v.engine, v.shape, 0, v.dtype);
    const slot = (name: string, used: boolean) => (used ? this.getSlot(v, name, zeros) : undefined);
    const next = rmspropUpdate(
      v,
      g,
      {
        squareAvg: this.getSlot(v, 'square_avg', zeros),
        gradAvg: slot('grad_avg', this.centered),
        buf: slot('momentum', this.momentum > 0),
      },
      {
        lr,
        decay: this.decay,
        momentum: this.momentum,
        epsilon: this.epsilon,
        centered: this.centered,
      },
    );
    this.setSlot(v, 'square_avg', next.squareAvg);
    if (next.gradAvg) this.setSlot(v, 'grad_avg', next.gradAvg);
    if (next.buf) this.setSlot(v, 'momentum', next.buf);
    v.assign(next.param);
  }
}
