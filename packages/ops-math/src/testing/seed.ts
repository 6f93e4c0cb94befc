import type { Tensor } from '@tapegrad/core';
import { grads } from '@tapegrad/core';
import { describe, expect, it } from 'vitest';
import { add, losses, matMul, mul, relu, reshape, slice, sub } from '../index.js';
import type { SuiteContext } from './helpers.js';
import { expectClose, expectGradients } from './helpers.js';

/** The project's seed examples (the classic TF backprop walkthrough) and the memory contract. */
export function seedSuite(ctx: SuiteContext): void {
  describe('seed: w=[2,3], X=[-1,-2], Y=w*X, cost=Y[1]*Y', () => {
    it('∂Σcost/∂w = [6, 28]; one gradient-descent step with lr=1 gives w = [-4, -25]', () => {
      const w = ctx.engine.variable(ctx.t([2, 3]), true, 'seed_w');
      const X = ctx.t([-1, -2]);
      ctx.engine.tidy(() => {
        const Y = mul(w, X);
        const cost = mul(slice(Y, [1], [1]), Y);
        expectClose(cost, [12, 36]);
        cost.backward(ctx.t([1, 1])); // the vector cost: backward of its sum
        expectClose(w.grad!, [6, 28]);
        w.assign(sub(w, w.grad!));
      });
      expect(Array.from(w.dataSync())).toEqual([-4, -25]);
      w.dispose();
    });

    it('the same gradient through the functional API, with Y[1] as a scalar', () => {
      const [g] = grads((w: Tensor) => {
        const Y = mul(w, ctx.t([-1, -2]));
        return mul(reshape(slice(Y, 1, 1), []), Y);
      })([ctx.t([2, 3])], ctx.t([1, 1]));
      expectClose(g!, [6, 28]);
    });
  });

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

  describe('memory', () => {
    it('100 training steps of a small MLP inside tidy leave memory() unchanged', () => {
      const e = ctx.engine;
      const w1 = e.variable(ctx.rand([4, 8], 31, -0.5, 0.5), true, 'mem_w1');
      const b1 = e.variable(ctx.t(new Float32Array(8)), true, 'mem_b1');
      const w2 = e.variable(ctx.rand([8, 3], 32, -0.5, 0.5), true, 'mem_w2');
      const x = ctx.rand([16, 4], 33);
      const labels = ctx.t(
        Array.from({ length: 16 }, (_, i) => [0, 1, 2].map((k) => (k === i % 3 ? 1 : 0))),
      );
      const params = [w1, b1, w2];
      const lossOf = () =>
        losses.softmaxCrossEntropy(labels, matMul(relu(add(matMul(x, w1), b1)), w2));
      const step = () =>
        e.tidy(() => {
          const loss = lossOf();
          loss.backward();
          for (const p of params) {
            p.assign(sub(p, mul(p.grad!, 0.5)));
            p.grad = null;
          }
          return loss.dataSync()[0]!;
        });
      const first = step();
      const before = e.memory();
      let last = first;
      for (let i = 0; i < 100; i++) last = step();
      const after = e.memory();
      expect(after.numTensors).toBe(before.numTensors);
      expect(after.numDataBuffers).toBe(before.numDataBuffers);
      expect(after.numBytes).toBe(before.numBytes);
      expect(after.numSavedTensors).toBe(before.numSavedTensors);
      expect(after.backends).toEqual(before.backends);
      expect(last).toBeLessThan(first / 2);
      e.dispose(params);
    });
  });
}
