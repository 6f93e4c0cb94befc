import type { Engine, Tensor } from '@tapegrad/core';
import { createEngine, createTensor } from '@tapegrad/core';
import { cpu } from '@tapegrad/backend-cpu';
import { avgPool, conv, conv2d, depthwiseConv2d, maxPool } from '@tapegrad/ops-conv';
import { math, matMul, mean, mul, relu, reshape, sub } from '@tapegrad/ops-math';
import { describe, expect, it } from 'vitest';
import type { WebGPUBackend } from '../src/index.js';
import { wgslConvEngine } from './conv-strict-env.js';
import { withWebGPU } from './webgpu-env.js';

/** Deterministic pseudo-random values in [-scale, scale). */
function values(n: number, seed: number, scale = 0.5): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 2 * scale;
  });
}

/**
 * A small CNN on 2 images 8×8×2: conv2d 3×3 same (4 channels) -> relu -> maxPool 2×2 ->
 * depthwise 3×3 same -> avgPool 2×2 -> dense to 3 outputs; squared error, SGD with lr 0.1.
 * Returns the step (loss as a number) and the parameters.
 */
function cnn(e: Engine): { params: Tensor[]; step: () => number } {
  const t = (v: Float32Array, shape: number[]) => createTensor(e, v, shape);
  const f = e.variable(t(values(3 * 3 * 2 * 4, 1), [3, 3, 2, 4]), true, 'f');
  const d = e.variable(t(values(3 * 3 * 4, 2), [3, 3, 4, 1]), true, 'd');
  const w = e.variable(t(values(2 * 2 * 4 * 3, 3), [16, 3]), true, 'w');
  const x = t(values(2 * 8 * 8 * 2, 4, 1), [2, 8, 8, 2]);
  const y = t(values(6, 5, 1), [2, 3]);
  const params = [f, d, w];
  const step = () =>
    e.tidy(() => {
      const h = maxPool(relu(conv2d(x, f, 1, 'same')), 2, 2, 'valid');
      const p = avgPool(depthwiseConv2d(h, d, 1, 'same'), 2, 2, 'valid');
      const out = matMul(reshape(p, [2, 16]), w);
      const loss = mean(mul(sub(out, y), sub(out, y)));
      loss.backward();
      for (const q of params) {
        q.assign(sub(q, mul(q.grad!, 0.1)));
        q.grad = null;
      }
      return loss.dataSync()[0]!;
    });
  return { params, step };
}

function expectAgree(a: ArrayLike<number>, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const ok = Math.abs(a[i]! - b[i]!) <= 1e-5 + 1e-4 * Math.abs(b[i]!);
    expect(ok, `element ${i}: webgpu ${a[i]}, cpu ${b[i]}`).toBe(true);
  }
}

await withWebGPU('webgpu CNN training on WGSL conv kernels', () => {
  describe('webgpu: a CNN trains on the WGSL conv, depthwise and pooling kernels', () => {
    it('losses and weights agree with the CPU backend over 5 SGD steps', async () => {
      const g = cnn(await wgslConvEngine());
      const c = cnn(createEngine({ ops: [math, conv], backends: [cpu()] }));
      for (let i = 0; i < 5; i++) expectAgree([g.step()], [c.step()]);
      g.params.forEach((p, i) => expectAgree(p.dataSync(), c.params[i]!.dataSync()));
    });

    it('30 steps inside tidy leave memory() unchanged, GPU bytes included', async () => {
      const e = await wgslConvEngine();
      const backend = e.findBackend('webgpu') as WebGPUBackend;
      const m = cnn(e);
      const first = m.step();
      const before = e.memory();
      const d0 = backend.dispatchCount;
      let last = first;
      for (let i = 0; i < 30; i++) last = m.step();
      const after = e.memory();
      console.log(
        `[backend-webgpu] CNN training step: ${(backend.dispatchCount - d0) / 30} dispatches; ` +
          `live GPU bytes ${after.backends.webgpu!.gpuBytes}; pool ${JSON.stringify(backend.poolInfo())}`,
      );
      expect(after.numTensors).toBe(before.numTensors);
      expect(after.numDataBuffers).toBe(before.numDataBuffers);
      expect(after.numBytes).toBe(before.numBytes);
      expect(after.backends).toEqual(before.backends);
      expect(after.backends.webgpu!.gpuBytes).toBeGreaterThan(0);
      expect(last).toBeLessThan(first);
    });
  });
});
