import { createTensor } from '@tapegrad/core';
import { matMul } from '@tapegrad/ops-math';
import { describe, expect, it } from 'vitest';
import { webgpuEngine, withWebGPU } from './webgpu-env.js';

/** Deterministic values in [-1, 1). */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 2;
  });
}

/** Row-major reference product. */
function product(a: Float32Array, b: Float32Array, m: number, k: number, n: number): number[] {
  const out = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++)
      for (let j = 0; j < n; j++) out[i * n + j]! += a[i * k + p]! * b[p * n + j]!;
  return out;
}

function expectClose(got: ArrayLike<number>, want: readonly number[]): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 3);
}

await withWebGPU('webgpu async reads', () => {
  describe('webgpu: await data() in Node', () => {
    it('does not block the event loop: a timer fires while the read is pending', async () => {
      const e = await webgpuEngine();
      const n = 256;
      const a = values(n * n, 1);
      const b = values(n * n, 2);
      // A 256×256 matmul takes SwiftShader a good fraction of a second.
      const y = matMul(createTensor(e, a, [n, n]), createTensor(e, b, [n, n]));
      let settled = false;
      let firedWhilePending = false;
      setTimeout(() => {
        firedWhilePending = !settled;
      }, 0);
      const pending = y.data().then((v) => {
        settled = true;
        return v;
      });
      const got = await pending;
      expect(firedWhilePending).toBe(true);
      expectClose(got.subarray(0, 2 * n), product(a.subarray(0, 2 * n), b, 2, n, n));
    });

    it('a synchronous read while an async read is pending gets its own values', async () => {
      const e = await webgpuEngine();
      const a = values(64 * 32, 3);
      const b = values(32 * 16, 4);
      const c = values(32 * 16, 5);
      const A = createTensor(e, a, [64, 32]);
      const x = matMul(A, createTensor(e, b, [32, 16]));
      const y = matMul(A, createTensor(e, c, [32, 16]));
      const first = x.data();
      const second = y.dataSync();
      const third = x.data();
      expectClose(second, product(a, c, 64, 32, 16));
      expectClose(await first, product(a, b, 64, 32, 16));
      expectClose(await third, product(a, b, 64, 32, 16));
    });
  });
});
