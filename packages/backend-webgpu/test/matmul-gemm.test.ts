import { createTensor } from '@tapegrad/core';
import { matMul } from '@tapegrad/ops-math';
import { describe, expect, it } from 'vitest';
import type { WebGPUBackend } from '../src/index.js';
import { webgpuEngine, withWebGPU } from './webgpu-env.js';

/** Deterministic pseudo-random values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** Row-major float64 reference of op(A)·op(B) for one batch; `a`, `b` in their stored layouts. */
function refMatMul(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  n: number,
  k: number,
  tA: boolean,
  tB: boolean,
): number[] {
  const out: number[] = [];
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < n; c++) {
      let s = 0;
      for (let q = 0; q < k; q++)
        s += a[tA ? q * m + r : r * k + q]! * b[tB ? c * k + q : q * n + c]!;
      out.push(s);
    }
  }
  return out;
}

function expectNear(got: ArrayLike<number>, want: readonly number[], k: number): void {
  expect(got.length).toBe(want.length);
  // float32 accumulation of k products of values in [-1, 1)
  const tol = 1e-6 * k + 1e-5;
  for (let i = 0; i < want.length; i++) {
    const ok = Math.abs(got[i]! - want[i]!) <= tol + 1e-5 * Math.abs(want[i]!);
    expect(ok, `element ${i}: got ${got[i]}, want ${want[i]}`).toBe(true);
  }
}

await withWebGPU('webgpu register-blocked GEMM', () => {
  describe('webgpu BatchMatMul: register-blocked tiles, 4×4 per invocation', () => {
    // Sizes that are not multiples of the tiles nor of the K steps, and larger than one tile,
    // on every tile shape: 64×64 (1×1, 65×66, 5×7), 128×64 (250×66), 512×8 (67×5, 600×5), 256×16 (300×16),
    // 256×32 (250×30, 200×20), 16×256 (3×70, 16×300), 32×128 (27×120).
    for (const [m, n, k] of [
      [1, 1, 1],
      [67, 5, 33],
      [600, 5, 33],
      [300, 16, 21],
      [250, 30, 50],
      [3, 70, 17],
      [16, 300, 9],
      [27, 120, 40],
      [65, 66, 130],
      [250, 66, 30],
      // few tiles, long K: K split over workgroup layers, then summed
      [5, 7, 3000],
      [200, 20, 600],
    ] as const) {
      for (const tA of [false, true]) {
        for (const tB of [false, true]) {
          it(`${m}×${k} · ${k}×${n}, transposeA ${tA}, transposeB ${tB}`, async () => {
            const e = await webgpuEngine();
            const av = values(m * k, m + 7 * k);
            const bv = values(k * n, n + 3 * k);
            const a = createTensor(e, av, tA ? [k, m] : [m, k]);
            const b = createTensor(e, bv, tB ? [n, k] : [k, n]);
            const y = matMul(a, b, tA, tB);
            expect([...y.shape]).toEqual([m, n]);
            expectNear(y.dataSync(), refMatMul(av, bv, m, n, k, tA, tB), k);
          });
        }
      }
    }

    it('broadcast batch dims ([3,1,5,7] · [2,7,9] -> [3,2,5,9]) with transposes', async () => {
      const e = await webgpuEngine();
      const [m, k, n] = [5, 7, 9];
      const av = values(3 * m * k, 11);
      const bv = values(2 * k * n, 12);
      const a = createTensor(e, av, [3, 1, k, m]);
      const b = createTensor(e, bv, [2, n, k]);
      const y = matMul(a, b, true, true);
      expect([...y.shape]).toEqual([3, 2, m, n]);
      const want: number[] = [];
      for (let i = 0; i < 3; i++) {
        for (let j = 0; j < 2; j++) {
          want.push(
            ...refMatMul(
              av.subarray(i * m * k, (i + 1) * m * k),
              bv.subarray(j * k * n, (j + 1) * k * n),
              m,
              n,
              k,
              true,
              true,
            ),
          );
        }
      }
      expectNear(y.dataSync(), want, k);
    });

    it('int32 products are exact', async () => {
      const e = await webgpuEngine();
      const a = createTensor(
        e,
        Int32Array.from({ length: 70 * 3 }, (_, i) => (i % 7) - 3),
        [70, 3],
        'int32',
      );
      const b = createTensor(
        e,
        Int32Array.from({ length: 3 * 2 }, (_, i) => i - 2),
        [3, 2],
        'int32',
      );
      const y = matMul(a, b);
      expect(y.dtype).toBe('int32');
      expect(Array.from(y.dataSync())).toEqual(
        refMatMul(a.dataSync(), b.dataSync(), 70, 2, 3, false, false),
      );
    });

    it('splits a long K over workgroup layers when there are few tiles (GEMM + sum pass)', async () => {
      const e = await webgpuEngine();
      const backend = e.findBackend('webgpu') as WebGPUBackend;
      const a = createTensor(e, values(4 * 2000, 3), [4, 2000]);
      const b = createTensor(e, values(2000 * 3, 4), [2000, 3]);
      const before = backend.dispatchCount;
      const y = matMul(a, b);
      expect(backend.dispatchCount - before).toBe(2);
      expectNear(
        y.dataSync(),
        refMatMul(a.dataSync(), b.dataSync(), 4, 3, 2000, false, false),
        2000,
      );
    });

    it('runs one dispatch per product on the GPU', async () => {
      const e = await webgpuEngine();
      const backend = e.findBackend('webgpu') as WebGPUBackend;
      const a = createTensor(e, values(20, 1), [4, 5]);
      const b = createTensor(e, values(15, 2), [5, 3]);
      const before = backend.dispatchCount;
      matMul(a, b).dataSync();
      expect(backend.dispatchCount - before).toBe(1);
    });
  });
});
