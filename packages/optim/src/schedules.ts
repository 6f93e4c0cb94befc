import { ArgumentError } from '@tapegrad/core';
import type { LearningRate } from './optimizer.js';

/** A learning rate as a function of the (0-based) update count. */
export type Schedule = (iteration: number) => number;

function positive(op: string, name: string, v: number): void {
  if (!(v > 0)) throw new ArgumentError(`${op}: ${name} must be positive, got ${v}`);
}

/**
 * lr · rate^(t / decaySteps), with integer division when `staircase` (Keras ExponentialDecay).
 *
 * @example
 * ```ts
 * const lr = exponentialDecay(0.1, 10, 0.5); // halves every 10 steps
 * console.log(lr(10)); // 0.05
 * console.log(lr(20)); // 0.025
 * const opt = train.sgd(lr); // schedules are learning rates
 * ```
 */
export function exponentialDecay(
  initialLearningRate: number,
  decaySteps: number,
  decayRate: number,
  staircase = false,
): Schedule {
  positive('exponentialDecay', 'decaySteps', decaySteps);
  return (t) => {
    const p = t / decaySteps;
    return initialLearningRate * decayRate ** (staircase ? Math.floor(p) : p);
  };
}

/**
 * Cosine decay to alpha·lr over decaySteps, then constant (Keras CosineDecay).
 *
 * @example
 * ```ts
 * const lr = cosineDecay(1, 100);
 * console.log(lr(50)); // 0.5
 * console.log(lr(100)); // 0
 * ```
 */
export function cosineDecay(initialLearningRate: number, decaySteps: number, alpha = 0): Schedule {
  positive('cosineDecay', 'decaySteps', decaySteps);
  return (t) => {
    const cosine = 0.5 * (1 + Math.cos((Math.PI * Math.min(t, decaySteps)) / decaySteps));
    return initialLearningRate * ((1 - alpha) * cosine + alpha);
  };
}

/**
 * lr · gamma^⌊t / stepSize⌋ (torch StepLR).
 *
 * @example
 * ```ts
 * const lr = stepDecay(0.1, 30); // × 0.1 every 30 steps
 * console.log(lr(29)); // 0.1
 * console.log(lr(30)); // 0.01
 * ```
 */
export function stepDecay(initialLearningRate: number, stepSize: number, gamma = 0.1): Schedule {
  positive('stepDecay', 'stepSize', stepSize);
  return (t) => initialLearningRate * gamma ** Math.floor(t / stepSize);
}

/**
 * Linear warmup over `warmupSteps` from startFactor·lr₀ to lr₀ (lr₀ the schedule's first
 * value), then `after` continues from its own step 0.
 *
 * @example
 * ```ts
 * const lr = warmup(cosineDecay(0.1, 1000), 10); // 10 linear warmup steps, then cosine decay
 * console.log(lr(5)); // 0.05
 * console.log(lr(10)); // 0.1
 * ```
 */
export function warmup(after: LearningRate, warmupSteps: number, startFactor = 0): Schedule {
  positive('warmup', 'warmupSteps', warmupSteps);
  const next: Schedule = typeof after === 'number' ? () => after : after;
  return (t) => {
    if (t >= warmupSteps) return next(t - warmupSteps);
    return next(0) * (startFactor + ((1 - startFactor) * t) / warmupSteps);
  };
}
