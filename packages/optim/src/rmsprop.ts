import type { Tensor, Variable } from '@tapegrad/core';
import { createFill } from '@tapegrad/core';
import { add, div, mul, sqrt, square, sub } from '@tapegrad/ops-math';
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
    const rho = this.decay;
    const s = add(mul(this.getSlot(v, 'square_avg', zeros), rho), mul(square(g), 1 - rho));
    this.setSlot(v, 'square_avg', s);
    let avg = s;
    if (this.centered) {
      const gAvg = add(mul(this.getSlot(v, 'grad_avg', zeros), rho), mul(g, 1 - rho));
      this.setSlot(v, 'grad_avg', gAvg);
      avg = sub(s, square(gAvg));
    }
    const denom = add(sqrt(avg), this.epsilon);
    if (this.momentum > 0) {
      const buf = add(mul(this.getSlot(v, 'momentum', zeros), this.momentum), div(g, denom));
      this.setSlot(v, 'momentum', buf);
      v.assign(sub(v, mul(buf, lr)));
    } else {
      v.assign(sub(v, mul(div(g, denom), lr)));
    }
  }
}
