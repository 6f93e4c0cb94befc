import { ArgumentError } from '@tapegrad/core';

/** Decay rates must lie in [0, 1). */
export function assertBeta(op: string, name: string, value: number): void {
  if (!(value >= 0 && value < 1))
    throw new ArgumentError(`${op}: ${name} must be in [0, 1), got ${value}`);
}
