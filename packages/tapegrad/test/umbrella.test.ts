import { describe, expect, it } from 'vitest';
import * as tg from '../src/index.js';

describe('tapegrad umbrella', () => {
  it('works like tfjs after a plain import: webgpu (hardware only), wasm, cpu and the op families registered', () => {
    expect(tg.getBackend()).toBe('wasm');
    expect([...tg.getDefaultEngine().backends.keys()].sort()).toEqual(['cpu', 'wasm', 'webgpu']);
    const y = tg.tidy(() => tg.tensor([1, 2, 3]).mul(2).add(1));
    expect(Array.from(y.dataSync())).toEqual([3, 5, 7]);
    y.dispose();
  });

  it('registerDefaults is idempotent', () => {
    expect(() => tg.registerDefaults()).not.toThrow();
  });

  it('seed: f(x, y) = x²y + y + 2 at (3, 4) has ∂f/∂x = 24 and ∂f/∂y = 10', () => {
    const f = (x: tg.Tensor, y: tg.Tensor) => x.mul(x).mul(y).add(y).add(2);
    const [dx, dy] = tg.grads(f)([tg.scalar(3), tg.scalar(4)]);
    expect(dx!.dataSync()[0]).toBe(24);
    expect(dy!.dataSync()[0]).toBe(10);
  });

  it('a 100-step training loop inside tidy leaves memory() unchanged', () => {
    const w = tg.variable([0.5, -0.5], true, 'umbrella_w');
    const x = tg.tensor([1, 2]);
    const before = tg.memory();
    for (let step = 0; step < 100; step++) {
      tg.tidy(() => {
        const loss = w.mul(x).sub(1).mul(w.mul(x).sub(1)).sum();
        loss.backward();
        w.assign(w.sub(w.grad!.mul(0.05)));
        w.grad = null;
      });
    }
    const after = tg.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    expect(after.numSavedTensors).toBe(before.numSavedTensors);
    // Each w_i·x_i → 1, so w → [1, 0.5].
    const [a, b] = Array.from(w.dataSync());
    expect(a).toBeCloseTo(1, 4);
    expect(b).toBeCloseTo(0.5, 4);
    w.dispose();
    x.dispose();
  });
});
