/**
 * Dispatch grids over the per-dimension workgroup limit are spread over y and z: forced here
 * on small tensors with `maxWorkgroupsPerDimension` (5, so that more than 25 workgroups need all three
 * dimensions), every kind of grid (GEMM tiles and batches, split K, implicit-GEMM conv, one
 * workgroup per reduction output or part, one invocation per element) against the CPU backend.
 */
import type { Engine, Tensor } from '@tapegrad/core';
import { createEngine, createTensor, grads } from '@tapegrad/core';
import { cpu, cpuKernels } from '@tapegrad/backend-cpu';
import { conv, conv2d, depthwiseConv2d, maxPool } from '@tapegrad/ops-conv';
import { math, matMul, mul, sum, tanh } from '@tapegrad/ops-math';
import { describe, expect, it } from 'vitest';
import type { WebGPUBackend } from '../src/index.js';
import { createWebGPUBackend, webgpu } from '../src/index.js';
import { withWebGPU } from './webgpu-env.js';

/** Deterministic pseudo-random values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

async function gridEngine(limit: number): Promise<Engine> {
  const engine = createEngine({
    ops: [math, conv],
    backends: [webgpu({ hostKernels: cpuKernels, maxWorkgroupsPerDimension: limit }), cpu()],
  });
  await engine.setBackend('webgpu');
  return engine;
}

/** The same computation on a webgpu engine and on the CPU backend. */
function agree(e: Engine, f: (t: (v: Float32Array, s: number[]) => Tensor) => Tensor): void {
  const ref = createEngine({ ops: [math, conv], backends: [cpu()] });
  const got = f((v, s) => createTensor(e, v, s)).dataSync();
  const want = f((v, s) => createTensor(ref, v, s)).dataSync();
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const ok = Math.abs(got[i]! - want[i]!) <= 1e-4 + 1e-4 * Math.abs(want[i]!);
    expect(ok, `element ${i}: webgpu ${got[i]}, cpu ${want[i]}`).toBe(true);
  }
}

await withWebGPU('webgpu dispatch grids over the per-dimension limit', () => {
  describe('webgpu: grids over maxWorkgroupsPerDimension spread over y and z', () => {
    it('GEMM tiles and batches: [7,70,9]·[7,9,70] (28 tiles: a 5×5×2 grid)', async () => {
      const e = await gridEngine(5);
      agree(e, (t) =>
        matMul(t(values(7 * 70 * 9, 1), [7, 70, 9]), t(values(7 * 9 * 70, 2), [7, 9, 70])),
      );
    });

    it('split K: [20,1200]·[1200,12] (one tile, K in slices: a 2×2 grid at limit 2)', async () => {
      const e = await gridEngine(2);
      agree(e, (t) =>
        matMul(t(values(20 * 1200, 3), [20, 1200]), t(values(1200 * 12, 4), [1200, 12])),
      );
    });

    it('implicit-GEMM conv2d and its gradients, maxPool, depthwise', async () => {
      const e = await gridEngine(5);
      const xs = [2, 30, 30, 3];
      agree(e, (t) =>
        conv2d(t(values(5400, 5), xs), t(values(3 * 3 * 3 * 20, 6), [3, 3, 3, 20]), 1, 'same'),
      );
      agree(e, (t) => maxPool(t(values(5400, 7), xs), 2, 2, 'valid'));
      agree(e, (t) =>
        depthwiseConv2d(t(values(5400, 8), xs), t(values(27, 9), [3, 3, 3, 1]), 1, 'same'),
      );
      agree(e, (t) => {
        const x = t(values(5400, 10), xs);
        const f = t(values(3 * 3 * 3 * 4, 11), [3, 3, 3, 4]);
        const loss = (a: Tensor, b: Tensor) => {
          const y = conv2d(a, b, 1, 'same');
          return sum(mul(y, y));
        };
        const [gx, gf] = grads(loss)([x, f]);
        return sum(mul(gx!, gx!)).add(sum(mul(gf!, gf!)));
      });
    });

    it('reductions: one workgroup per output (50 outputs), and a long line in parts', async () => {
      const e = await gridEngine(5);
      agree(e, (t) => sum(t(values(50 * 7, 12), [50, 7]), 1));
      agree(e, (t) => sum(tanh(t(values(40000, 13), [40000]))));
    });

    it('elementwise: one invocation per element (5000: 79 workgroups)', async () => {
      const e = await gridEngine(5);
      agree(e, (t) => tanh(mul(t(values(5000, 14), [5000]), 3)));
    });

    it('a grid that does not fit even in three dimensions is a clear error', async () => {
      const e = await gridEngine(2);
      // 9 sums, one workgroup each (a GEMM on a software adapter launches at most 4).
      const a = createTensor(e, values(9 * 16, 15), [9, 16]);
      expect(() => sum(a, 1).dataSync()).toThrow(
        'webgpu: reduce Sum needs 9 workgroups; at most 2³ = 8 fit a dispatch grid',
      );
    });

    it('maxWorkgroupsPerDimension is validated before a device starts', async () => {
      await expect(createWebGPUBackend({ maxWorkgroupsPerDimension: 0 })).rejects.toThrow(
        'webgpu: option maxWorkgroupsPerDimension must be an integer in [1, 65535], got 0',
      );
      const e = await gridEngine(5);
      expect((e.findBackend('webgpu') as WebGPUBackend).maxGroups).toBe(5);
    });
  });
});
