import type { Engine, Tensor } from '@tapegrad/core';
import { createEngine, createTensor } from '@tapegrad/core';
import { cpu, cpuKernels } from '@tapegrad/backend-cpu';
import { conv, conv2d } from '@tapegrad/ops-conv';
import { add, losses, math, matMul, mean, mul, relu, reshape, sub } from '@tapegrad/ops-math';
import { describe, expect, it } from 'vitest';
import type { WebGPUBackend } from '../src/index.js';
import { webgpu } from '../src/index.js';
import { webgpuEngine, withWebGPU } from './webgpu-env.js';

/** Deterministic pseudo-random values in [-scale, scale). */
function values(n: number, seed: number, scale = 0.5): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 2 * scale;
  });
}

interface Model {
  params: Tensor[];
  step: () => number;
}

/** A small MLP (4 -> 8 -> 3, softmax cross-entropy), SGD with lr 0.5. */
function mlp(e: Engine): Model {
  const t = (v: Float32Array, shape: number[]) => createTensor(e, v, shape);
  const w1 = e.variable(t(values(32, 1), [4, 8]), true, 'w1');
  const b1 = e.variable(t(new Float32Array(8), [8]), true, 'b1');
  const w2 = e.variable(t(values(24, 2), [8, 3]), true, 'w2');
  const x = t(values(64, 3, 1), [16, 4]);
  const labels = createTensor(
    e,
    Array.from({ length: 16 }, (_, i) => [0, 1, 2].map((k) => (k === i % 3 ? 1 : 0))),
  );
  const params = [w1, b1, w2];
  const step = () =>
    e.tidy(() => {
      const loss = losses.softmaxCrossEntropy(labels, matMul(relu(add(matMul(x, w1), b1)), w2));
      loss.backward();
      for (const p of params) {
        p.assign(sub(p, mul(p.grad!, 0.5)));
        p.grad = null;
      }
      return loss.dataSync()[0]!;
    });
  return { params, step };
}

/** A tiny CNN (conv2d 3×3 -> relu -> dense), SGD with lr 0.1: conv runs through fallback. */
function cnn(e: Engine): Model {
  const t = (v: Float32Array, shape: number[]) => createTensor(e, v, shape);
  const f = e.variable(t(values(3 * 3 * 1 * 4, 4), [3, 3, 1, 4]), true, 'f');
  const w = e.variable(t(values(4 * 4 * 4 * 2, 5, 0.2), [64, 2]), true, 'w');
  const x = t(values(2 * 6 * 6, 6, 1), [2, 6, 6, 1]);
  const y = t(values(4, 7, 1), [2, 2]);
  const params = [f, w];
  const step = () =>
    e.tidy(() => {
      const h = relu(conv2d(x, f, 1, 'valid'));
      const out = matMul(reshape(h, [2, 64]), w);
      const loss = mean(mul(sub(out, y), sub(out, y)));
      loss.backward();
      for (const p of params) {
        p.assign(sub(p, mul(p.grad!, 0.1)));
        p.grad = null;
      }
      return loss.dataSync()[0]!;
    });
  return { params, step };
}

function cpuEngine(): Engine {
  return createEngine({ ops: [math, conv], backends: [cpu()] });
}

function expectAgree(a: ArrayLike<number>, b: ArrayLike<number>, rtol = 1e-4, atol = 1e-5): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const ok = Math.abs(a[i]! - b[i]!) <= atol + rtol * Math.abs(b[i]!);
    expect(ok, `element ${i}: webgpu ${a[i]}, cpu ${b[i]}`).toBe(true);
  }
}

await withWebGPU('webgpu training', () => {
  describe('webgpu: training agrees with the CPU backend', () => {
    for (const [name, make, steps, engine] of [
      ['MLP', mlp, 20, () => webgpuEngine()],
      ['CNN (host kernels registered for float64)', cnn, 5, () => webgpuEngine()],
      ['CNN (no host kernels: WGSL conv and pooling only)', cnn, 5, () => webgpuEngine(false)],
    ] as const) {
      it(`${name}: losses and weights after ${steps} SGD steps`, async () => {
        const g = await engine();
        g.flags.fallback = 'silent';
        const c = cpuEngine();
        const mg = make(g);
        const mc = make(c);
        for (let i = 0; i < steps; i++) {
          const lg = mg.step();
          const lc = mc.step();
          expectAgree([lg], [lc]);
        }
        mg.params.forEach((p, i) => expectAgree(p.dataSync(), mc.params[i]!.dataSync()));
      });
    }
  });

  describe('webgpu: memory', () => {
    it('100 MLP steps inside tidy leave memory() unchanged, GPU bytes included', async () => {
      const g = await webgpuEngine();
      const backend = g.findBackend('webgpu') as WebGPUBackend;
      const m = mlp(g);
      const first = m.step();
      m.step();
      const before = g.memory();
      const allocated = backend.poolInfo().allocatedBytes;
      let last = first;
      for (let i = 0; i < 100; i++) last = m.step();
      const after = g.memory();
      console.log(
        `[backend-webgpu] MLP: live GPU bytes ${after.backends.webgpu!.gpuBytes}; pool ${JSON.stringify(backend.poolInfo())}`,
      );
      expect(after.numTensors).toBe(before.numTensors);
      expect(after.numDataBuffers).toBe(before.numDataBuffers);
      expect(after.numBytes).toBe(before.numBytes);
      expect(after.backends).toEqual(before.backends);
      expect(after.backends.webgpu!.gpuBytes).toBeGreaterThan(0);
      // Every GPU buffer, pooled and pending (read by lazy weight updates) included.
      expect(backend.poolInfo().allocatedBytes).toBe(allocated);
      expect(last).toBeLessThan(first / 2);
    });

    it('fusion takes fewer dispatches per MLP step, with the same losses', async () => {
      const perStep = async (fusion: boolean) => {
        const g = createEngine({
          ops: [math, conv],
          backends: [webgpu({ hostKernels: cpuKernels, fusion }), cpu()],
        });
        await g.setBackend('webgpu');
        const backend = g.findBackend('webgpu') as WebGPUBackend;
        const m = mlp(g);
        m.step();
        m.step();
        const d0 = backend.stats().dispatches;
        const losses = Array.from({ length: 10 }, () => m.step());
        return { dispatches: (backend.stats().dispatches - d0) / 10, losses };
      };
      const fused = await perStep(true);
      const unfused = await perStep(false);
      console.log(
        `[backend-webgpu] MLP training step: ${fused.dispatches} dispatches fused, ${unfused.dispatches} unfused`,
      );
      expect(fused.dispatches).toBeLessThan(unfused.dispatches);
      expectAgree(fused.losses, unfused.losses, 1e-5, 1e-6);
    });

    it('dataSync and await data() read the same values; disposed buffers are reused', async () => {
      const g = await webgpuEngine();
      const backend = g.findBackend('webgpu') as WebGPUBackend;
      const x = createTensor(g, values(1000, 9), [10, 100]);
      const y = relu(x);
      expect(Array.from(await y.data())).toEqual(Array.from(y.dataSync()));
      relu(x).dispose();
      const allocated = backend.poolInfo().allocatedBytes;
      const live = backend.memory().gpuBytes;
      for (let i = 0; i < 10; i++) relu(x).dispose();
      expect(backend.poolInfo().allocatedBytes).toBe(allocated);
      expect(backend.memory().gpuBytes).toBe(live);
    });
  });
});
