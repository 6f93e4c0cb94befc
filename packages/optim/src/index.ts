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
  sgd: (learningRate: LearningRate) => new SGDOptimizer(learningRate),
  momentum: (learningRate: LearningRate, momentum: number, useNesterov = false) =>
    new MomentumOptimizer(learningRate, momentum, useNesterov),
  adam: (learningRate?: LearningRate, beta1?: number, beta2?: number, epsilon?: number) =>
    new AdamOptimizer(learningRate, beta1, beta2, epsilon),
  adamw: (
    learningRate?: LearningRate,
    beta1?: number,
    beta2?: number,
    epsilon?: number,
    weightDecay?: number,
  ) => new AdamWOptimizer(learningRate, beta1, beta2, epsilon, weightDecay),
  rmsprop: (
    learningRate: LearningRate,
    decay?: number,
    momentum?: number,
    epsilon?: number,
    centered?: boolean,
  ) => new RMSPropOptimizer(learningRate, decay, momentum, epsilon, centered),
  adagrad: (learningRate: LearningRate, initialAccumulatorValue?: number) =>
    new AdagradOptimizer(learningRate, initialAccumulatorValue),
  adadelta: (learningRate?: LearningRate, rho?: number, epsilon?: number) =>
    new AdadeltaOptimizer(learningRate, rho, epsilon),
  adamax: (learningRate?: LearningRate, beta1?: number, beta2?: number, epsilon?: number) =>
    new AdamaxOptimizer(learningRate, beta1, beta2, epsilon),
};
