import type { Tensor } from '@tapegrad/core';
import { grads } from '@tapegrad/core';
import { describe, expect, it } from 'vitest';
import { add, mul } from '../index.js';
import type { SuiteContext } from './helpers.js';
import { expectGradients } from './helpers.js';

/** The project's seed examples (the classic TF backprop walkthrough). */
export function seedSuite(ctx: SuiteContext): void {
  describe('seed: f(x, y) = x²y + y + 2 at (3, 4)', () => {
    const f = (x: Tensor, y: Tensor) => add(add(mul(mul(x, x), y), y), 2);

    it('functional grads: ∂f/∂x = 24, ∂f/∂y = 10', () => {
      const [dx, dy] = grads(f)([ctx.t(3), ctx.t(4)]);
      expect(dx!.dataSync()[0]).toBe(24);
      expect(dy!.dataSync()[0]).toBe(10);
    });

    it('backward(): ∂f/∂x = 24, ∂f/∂y = 10, and f = 42', () => {
      const x = ctx.t(3).requiresGrad_();
      const y = ctx.t(4).requiresGrad_();
      const value = f(x, y);
      value.backward();
      expect(value.dataSync()[0]).toBe(42);
      expect(x.grad!.dataSync()[0]).toBe(24);
      expect(y.grad!.dataSync()[0]).toBe(10);
    });

    it('first and second derivatives agree with finite differences', () => {
      expectGradients(f, [ctx.rand([3], 1), ctx.rand([3], 2)]);
    });
  });
}
