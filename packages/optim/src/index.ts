import { AdadeltaOptimizer } from './adadelta.js';
import { clipByGlobalNorm, clipByNorm, clipGradsByValue } from './clip.js';
import { AdagradOptimizer } from './adagrad.js';
import { AdamOptimizer } from './adam.js';
import { AdamaxOptimizer } from './adamax.js';
import { AdamWOptimizer } from './adamw.js';
import { MomentumOptimizer } from './momentum.js';
import type { LearningRate } from './optimizer.js';
import { RMSPropOptimizer } from './rmsprop.js';
import { SGDOptimizer } from './sgd.js';
import { cosineDecay, exponentialDecay, stepDecay, warmup } from './schedules.js';

export { Optimizer } from './optimizer.js';
export { clipByGlobalNorm, clipByNorm, clipGradsByValue } from './clip.js';
export type { GradientSet } from './clip.js';
export { cosineDecay, exponentialDecay, stepDecay, warmup } from './schedules.js';
export type { Schedule } from './schedules.js';
export type { LearningRate, NamedGradients, NamedTensor } from './optimizer.js';
export {
  AdadeltaOptimizer,
  AdagradOptimizer,
  AdamOptimizer,
  AdamWOptimizer,
  AdamaxOptimizer,
  MomentumOptimizer,
  RMSPropOptimizer,
  SGDOptimizer,
};

/**
 * Optimizer factories with tfjs's names and argument order (torch.optim update rules),
 * gradient clipping (`train.clipByValue` works on a set of gradients; the tensor op of
 * the same name is `clipByValue` in ops-math) and learning-rate schedules.
 */
export const train = {
  clipByValue: clipGradsByValue,
  clipByNorm,
  clipByGlobalNorm,
  schedules: { exponentialDecay, cosineDecay, stepDecay, warmup },
  /**
   * Plain gradient descent, w -= lr · g (`SGDOptimizer`).
   *
   * @example
   * ```ts
   * const w = variable(tensor([1, 2]));
   * train.sgd(0.1).minimize(() => w.square().sum(), false, [w]);
   * w.print(); // [0.8, 1.6]
   * ```
   */
  sgd: (learningRate: LearningRate) => new SGDOptimizer(learningRate),
  /**
   * Gradient descent with (optionally Nesterov) momentum (`MomentumOptimizer`).
   *
   * @example
   * ```ts
   * const w = variable(tensor([1, 2]));
   * const opt = train.momentum(0.1, 0.9);
   * for (let i = 0; i < 2; i++) opt.minimize(() => w.square().sum(), false, [w]);
   * w.print(); // [0.46, 0.92]
   * ```
   */
  momentum: (learningRate: LearningRate, momentum: number, useNesterov = false) =>
    new MomentumOptimizer(learningRate, momentum, useNesterov),
  /**
   * Adam (`AdamOptimizer`; defaults lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-8).
   *
   * @example
   * ```ts
   * const w = variable(tensor([1, 2]));
   * train.adam(0.1).minimize(() => w.square().sum(), false, [w]);
   * w.print(); // [0.9, 1.9]
   * ```
   */
  adam: (learningRate?: LearningRate, beta1?: number, beta2?: number, epsilon?: number) =>
    new AdamOptimizer(learningRate, beta1, beta2, epsilon),
  /**
   * Adam with decoupled weight decay (`AdamWOptimizer`, torch.optim.AdamW).
   *
   * @example
   * ```ts
   * const w = variable(tensor([1, 2]));
   * train.adamw(0.1, 0.9, 0.999, 1e-8, 0.01).minimize(() => w.square().sum(), false, [w]);
   * w.print(); // [0.899, 1.898]
   * ```
   */
  adamw: (
    learningRate?: LearningRate,
    beta1?: number,
    beta2?: number,
    epsilon?: number,
    weightDecay?: number,
  ) => new AdamWOptimizer(learningRate, beta1, beta2, epsilon, weightDecay),
  /**
   * RMSProp, optionally centered and with momentum (`RMSPropOptimizer`).
   *
   * @example
   * ```ts
   * const w = variable(tensor([1, 2]));
   * train.rmsprop(0.01).minimize(() => w.square().sum(), false, [w]);
   * w.print(); // [0.9684, 1.9684]
   * ```
   */
  rmsprop: (
    learningRate: LearningRate,
    decay?: number,
    momentum?: number,
    epsilon?: number,
    centered?: boolean,
  ) => new RMSPropOptimizer(learningRate, decay, momentum, epsilon, centered),
  /**
   * Adagrad (`AdagradOptimizer`; the accumulator starts at `initialAccumulatorValue`, 0.1 by default).
   *
   * @example
   * ```ts
   * const w = variable(tensor([1, 2]));
   * train.adagrad(0.1, 0).minimize(() => w.square().sum(), false, [w]);
   * w.print(); // [0.9, 1.9]
   * ```
   */
  adagrad: (learningRate: LearningRate, initialAccumulatorValue?: number) =>
    new AdagradOptimizer(learningRate, initialAccumulatorValue),
  /**
   * Adadelta (`AdadeltaOptimizer`).
   *
   * @example
   * ```ts
   * const w = variable(tensor([1, 2]));
   * const opt = train.adadelta(1, 0.95, 1e-6);
   * opt.minimize(() => w.square().sum(), false, [w]);
   * w.print(); // [0.9955, 1.9955]
   * ```
   */
  adadelta: (learningRate?: LearningRate, rho?: number, epsilon?: number) =>
    new AdadeltaOptimizer(learningRate, rho, epsilon),
  /**
   * Adamax, Adam with the infinity norm (`AdamaxOptimizer`).
   *
   * @example
   * ```ts
   * const w = variable(tensor([1, 2]));
   * train.adamax(0.1).minimize(() => w.square().sum(), false, [w]);
   * w.print(); // [0.9, 1.9]
   * ```
   */
  adamax: (learningRate?: LearningRate, beta1?: number, beta2?: number, epsilon?: number) =>
    new AdamaxOptimizer(learningRate, beta1, beta2, epsilon),
};
