import { ArgumentError } from '@tapegrad/core';
import type { LearningRate } from './optimizer.js';

/** A learning rate as a function of the (0-based) update count. */
export type Schedule = (iteration: number) => number;

function positive(op: string, name: string, v: number): void {
  if (!(v > 0)) throw new ArgumentError(`${op}: ${name} must be positive, got ${v}`);
}

/** lr · rate^(t / decaySteps), with integer division when `staircase` (Keras ExponentialDecay). */
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

/** Cosine decay to alpha·lr over decaySteps, then constant (Keras CosineDecay). */
export function cosineDecay(initialLearningRate: number, decaySteps: number, alpha = 0): Schedule {
  positive('cosineDecay', 'decaySteps', decaySteps);
  return (t) => {
    const cosine = 0.5 * (1 + Math.cos((Math.PI * Math.min(t, decaySteps)) / decaySteps));
    return initialLearningRate * ((1 - alpha) * cosine + alpha);
  };
}

/** lr · gamma^⌊t / stepSize⌋ (torch StepLR). */
export function stepDecay(initialLearningRate: number, stepSize: number, gamma = 0.1): Schedule {
  positive('stepDecay', 'stepSize', stepSize);
  return (t) => initialLearningRate * gamma ** Math.floor(t / stepSize);
}

/**
 * Linear warmup over `warmupSteps` from startFactor·lr₀ to lr₀ (lr₀ the schedule's first
 * value), then `after` continues from its own step 0.
 */
export function warmup(after: LearningRate, warmupSteps: number, startFactor = 0): Schedule {
  positive('warmup', 'warmupSteps', warmupSteps);
  const next: Schedule = typeof after === 'number' ? () => after : after;
  return (t) => {
    if (t >= warmupSteps) return next(t - warmupSteps);
    return next(0) * (startFactor + ((1 - startFactor) * t) / warmupSteps);
  };
}
