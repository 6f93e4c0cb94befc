import type { Tensor, Variable } from '@tapegrad/core';
import { ArgumentError, createFill } from '@tapegrad/core';
import { add, div, mul, sqrt, square, sub } from '@tapegrad/ops-math';
import type { LearningRate } from './optimizer.js';
import { Optimizer } from './optimizer.js';

/**
 * Adagrad (torch.optim.Adagrad): s ← s + g²; p ← p − lr·g / (√s + ε); s starts at `initialAccumulatorValue`.
 *
 * @example
 * ```ts
 * const w = variable(tensor([1, 2]));
 * const opt = new AdagradOptimizer(0.1, 0); // accumulator starts at 0: the first step is lr · sign(grad)
 * opt.minimize(() => w.square().sum(), false, [w]);
 * w.print(); // [0.9, 1.9]
 * ```
 */
export class AdagradOptimizer extends Optimizer {
  constructor(
    learningRate: LearningRate,
    readonly initialAccumulatorValue = 0.1,
    readonly epsilon = 1e-10,
  ) {
    super(learningRate);
    if (!(initialAccumulatorValue >= 0)) {
      throw new ArgumentError(
        `adagrad: initialAccumulatorValue must be >= 0, got ${initialAccumulatorValue}`,
      );
    }
  }

  protected update(v: Variable, g: Tensor, lr: number): void {
    const init = () => createFill(v.engine, v.shape, this.initialAccumulatorValue, v.dtype);
    const s = add(this.getSlot(v, 'sum', init), square(g));
    this.setSlot(v, 'sum', s);
    v.assign(sub(v, mul(div(g, add(sqrt(s), this.epsilon)), lr)));
  }
}
