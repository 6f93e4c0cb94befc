import * as tg from 'tapegrad';
import type { Optimizer } from 'tapegrad';

/** The optimizers the playground offers, from @tapegrad/optim. */
export const optimizerNames = ['sgd', 'momentum', 'adam', 'rmsprop'] as const;
export type OptimizerName = (typeof optimizerNames)[number];

/** Momentum 0.9 for `momentum`; the other arguments are optim's defaults. */
export function makeOptimizer(name: OptimizerName, learningRate: number): Optimizer {
  switch (name) {
    case 'sgd':
      return tg.train.sgd(learningRate);
    case 'momentum':
      return tg.train.momentum(learningRate, 0.9);
    case 'adam':
      return tg.train.adam(learningRate);
    case 'rmsprop':
      return tg.train.rmsprop(learningRate);
  }
}
