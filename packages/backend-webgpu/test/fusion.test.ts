import type { Engine, Tensor } from '@tapegrad/core';
import { createEngine, createTensor, valueAndGrad } from '@tapegrad/core';
import { cpu, cpuKernels } from '@tapegrad/backend-cpu';
import { conv } from '@tapegrad/ops-conv';
import {
  add,
  broadcastTo,
  cast,
  div,
  exp,
  greater,
  math,
  mul,
  neg,
  relu,
  reshape,
  sigmoid,
  sub,
  sum,
  tanh,
  where,
} from '@tapegrad/ops-math';
import { describe, expect, it } from 'vitest';
import type { WebGPUBackend } from '../src/index.js';
import { webgpu } from '../src/index.js';
import { withWebGPU } from './webgpu-env.js';

/** Deterministic pseudo-random values in [-scale, scale). */
function values(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 2 * scale;
  });
}

async function gpuEngine(fusion: boolean): Promise<{ engine: Engine; backend: WebGPUBackend }> {
  const engine = createEngine({
    ops: [math, conv],
    backends: [webgpu({ hostKernels: cpuKernels, fusion }), cpu()],
  });
  await engine.setBackend('webgpu');
  return { engine, backend: engine.findBackend('webgpu') as WebGPUBackend };
}

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, rtol = 1e-5, atol = 1e-6): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const ok = Math.abs(a[i]! - b[i]!) <= atol + rtol * Math.abs(b[i]!);
    expect(ok, `element ${i}: ${a[i]} vs ${b[i]}`).toBe(true);
  }
}

/** The bench's elementwise chain: sum(tanh(x*x + 0.5*x) * sigmoid(x)). */
const chain = (x: Tensor): Tensor => sum(mul(tanh(add(mul(x, x), mul(x, 0.5))), sigmoid(x)));

/** Value and gradient of the chain, with the dispatches they took. */
function chainWithGrad(e: Engine, backend: WebGPUBackend | null, x: Float32Array) {
  return e.tidy(() => {
    const X = createTensor(e, x, [x.length]);
    const d0 = backend?.stats().dispatches ?? 0;
    const { value, grad } = valueAndGrad(chain)(X);
    const v = value.dataSync()[0]!;
    const g = grad.dataSync();
    return { value: v, grad: g, dispatches: (backend?.stats().dispatches ?? 0) - d0 };
  });
}

await withWebGPU('webgpu fusion', () => {
  describe('webgpu: stats', () => {
    it('counts dispatches, uploads, reads and flushes', async () => {
      const { engine: e, backend } = await gpuEngine(false);
      const s0 = backend.stats();
      const x = createTensor(e, values(300, 1), [300]);
      const y = relu(x);
      const z = add(y, x);
      const s1 = backend.stats();
      expect(s1.uploads - s0.uploads).toBe(1);
      expect(s1.dispatches - s0.dispatches).toBe(2);
      expect(s1.elementwiseOps - s0.elementwiseOps).toBe(2);
      z.dataSync();
      z.dataSync();
      const s2 = backend.stats();
      expect(s2.reads - s1.reads).toBe(2);
      expect(s2.flushes).toBeGreaterThan(s1.flushes);
      // x has a CPU copy (written from the CPU, under shadowBytes): no GPU read.
      x.dataSync();
      expect(backend.stats().reads).toBe(s2.reads);
    });
  });

  describe('webgpu: elementwise fusion', () => {
    it('the chain and its gradient: fewer dispatches, same numbers as unfused and cpu', async () => {
      const x = values(1000, 2, 2);
      const fused = await gpuEngine(true);
      const unfused = await gpuEngine(false);
      const c = createEngine({ ops: [math], backends: [cpu()] });
      const a = chainWithGrad(fused.engine, fused.backend, x);
      const b = chainWithGrad(unfused.engine, unfused.backend, x);
      const r = chainWithGrad(c, null, x);
      console.log(
        `[backend-webgpu] chain + gradient: ${a.dispatches} dispatches fused, ${b.dispatches} unfused`,
      );
      expect(a.dispatches).toBeLessThan(b.dispatches / 2);
      expectClose([a.value], [b.value], 1e-5);
      expectClose(a.grad, b.grad);
      expectClose([a.value], [r.value], 1e-4);
      expectClose(a.grad, r.grad, 1e-4, 1e-5);
    });

    it('fuses broadcasting, casts, where and scalars; agrees with cpu', async () => {
      const { engine: g, backend } = await gpuEngine(true);
      const c = createEngine({ ops: [math], backends: [cpu()] });
      const run = (e: Engine): Float32Array =>
        e.tidy(() => {
          const x = createTensor(e, values(24, 3), [2, 3, 4]);
          const b = createTensor(e, values(4, 4), [4]);
          const s = createTensor(e, values(3, 5), [3, 1]);
          const positive = cast(greater(add(x, b), 0), 'float32');
          const y = mul(add(mul(x, s), b), positive);
          const z = where(greater(y, 0.1), exp(neg(y)), sub(s, tanh(x)));
          return z.dataSync() as Float32Array;
        });
      const d0 = backend.stats().dispatches;
      const got = run(g);
      expect(backend.stats().dispatches - d0).toBe(1);
      expectClose(got, run(c), 1e-5, 1e-6);
    });

    it('a reshaped broadcast scalar stays lazy (inlined); another reshaped value is computed first', async () => {
      const { engine: g, backend } = await gpuEngine(true);
      const c = createEngine({ ops: [math], backends: [cpu()] });
      const run = (e: Engine, uniform: boolean): Float32Array =>
        e.tidy(() => {
          const x = createTensor(e, values(12, 8), [4, 3]);
          // 3 / 7 broadcast to [4], seen as [4, 1]: the same at every index.
          const q = div(createTensor(e, [3], []), createTensor(e, [7], []));
          const r = uniform ? broadcastTo(q, [4]) : exp(createTensor(e, values(4, 9), [4]));
          return mul(x, reshape(r, [4, 1])).dataSync() as Float32Array;
        });
      for (const [uniform, dispatches] of [
        [true, 1],
        [false, 2],
      ] as const) {
        const d0 = backend.stats().dispatches;
        const got = run(g, uniform);
        expect(backend.stats().dispatches - d0, `uniform ${uniform}`).toBe(dispatches);
        expectClose(got, run(c, uniform), 1e-6, 0);
      }
      // Hand-derived: x[1][2] * 3/7.
      expect(run(g, true)[5]).toBeCloseTo(values(12, 8)[5]! * (3 / 7), 6);
    });

    it('caches the fused pipeline by structure, not by values or shapes of the same rank', async () => {
      const { engine: e, backend } = await gpuEngine(true);
      const f = (n: number, k: number): number[] =>
        e.tidy(() => {
          const x = createTensor(e, values(n, n), [n]);
          return Array.from(add(mul(tanh(x), k), 1).dataSync());
        });
      const first = f(10, 2);
      expectClose(
        first,
        Array.from(values(10, 10), (v) => Math.tanh(v) * 2 + 1),
      );
      const pipelines = backend.stats().pipelines;
      const later = f(37, -3);
      expectClose(
        later,
        Array.from(values(37, 37), (v) => Math.tanh(v) * -3 + 1),
      );
      expect(backend.stats().pipelines).toBe(pipelines);
    });

    it('splits at the kernel limits: 12 distinct buffers and 100 ops in a chain', async () => {
      const { engine: e } = await gpuEngine(true);
      const xs = Array.from({ length: 12 }, (_, k) => values(50, 100 + k));
      const got = e.tidy(() => {
        const ts = xs.map((v) => createTensor(e, v, [50]));
        let acc = ts.reduce((a, t) => add(a, t));
        for (let k = 0; k < 100; k++) acc = mul(add(acc, 0.01), 0.999);
        return acc.dataSync();
      });
      const want = Array.from({ length: 50 }, (_, i) => {
        let v = 0;
        for (const x of xs) v = Math.fround(v + x[i]!);
        for (let k = 0; k < 100; k++) v = Math.fround(Math.fround(v + 0.01) * 0.999);
        return v;
      });
      expectClose(got, want, 1e-5, 1e-5);
    });

    it('fused-away intermediates allocate no GPU buffer', async () => {
      const { engine: e, backend } = await gpuEngine(true);
      const x = createTensor(e, values(4096, 6), [4096]);
      const allocated = backend.poolInfo().allocatedBytes;
      const held = backend.memory().gpuBytes!;
      const y = e.tidy(() => {
        let t = x;
        for (let k = 0; k < 10; k++) t = tanh(add(mul(t, 1.5), 0.1));
        return t;
      });
      y.dataSync();
      // One 16 KiB buffer for y (the pool is empty); the 30 intermediates never got one.
      expect(backend.poolInfo().allocatedBytes - allocated).toBe(4096 * 4);
      expect(backend.memory().gpuBytes! - held).toBe(4096 * 4);
      y.dispose();
      expect(backend.memory().gpuBytes).toBe(held);
      expect(backend.poolInfo().pendingBytes).toBe(0);
    });

    it('a reduction computes its lazy elementwise input itself (one dispatch), any axes', async () => {
      const { engine: g, backend } = await gpuEngine(true);
      const c = createEngine({ ops: [math], backends: [cpu()] });
      const run = (e: Engine, axes: number[]): Float32Array =>
        e.tidy(() => {
          const x = createTensor(e, values(60, 8), [3, 4, 5]);
          const y = createTensor(e, values(5, 9), [5]);
          return sum(mul(tanh(x), add(y, 1)), axes).dataSync() as Float32Array;
        });
      for (const [axes, dispatches] of [
        [[2], 1],
        [[1], 1],
        [[0, 1], 1],
        // Non-contiguous axes are transposed first: the expression is computed for that.
        [[0, 2], 3],
      ] as const) {
        const d0 = backend.stats().dispatches;
        const got = run(g, [...axes]);
        expect(backend.stats().dispatches - d0, `axes ${axes.join(',')}`).toBe(dispatches);
        expectClose(got, run(c, [...axes]), 1e-5, 1e-6);
      }
    });

    it('softmax cross-entropy and its gradient: one dispatch each (a lazy dy computed inside); agree with cpu', async () => {
      const { engine: g, backend } = await gpuEngine(true);
      const c = createEngine({ ops: [math], backends: [cpu()] });
      const run = (e: Engine, op: string): Float32Array =>
        e.tidy(() => {
          const labels = createTensor(e, values(3 * 5 * 7, 11).map(Math.abs), [3, 5, 7]);
          const x = createTensor(e, values(3 * 5 * 7, 12, 4), [3, 5, 7]);
          // dy = 2 · d, a lazy expression the gradient kernel computes itself.
          const dy = mul(createTensor(e, values(15, 13), [3, 5]), 2);
          const inputs = op === 'SoftmaxCrossEntropyGrad' ? [dy, labels, x] : [labels, x];
          return (e.run(op, inputs) as Tensor).dataSync() as Float32Array;
        });
      for (const op of ['SoftmaxCrossEntropyWithLogits', 'SoftmaxCrossEntropyGrad']) {
        const d0 = backend.stats().dispatches;
        const got = run(g, op);
        expect(backend.stats().dispatches - d0, op).toBe(1);
        expectClose(got, run(c, op), 1e-5, 1e-6);
      }
    });

    it('exp over the whole exponent range (2^n from its exponent bits): float64 reference', async () => {
      const { engine: e } = await gpuEngine(true);
      // Results from 2^-125 to 2^128 (every n of the reduction), and the ends.
      const xs = Float32Array.from([
        ...Array.from({ length: 201 }, (_, k) => -86.5 + k * 0.8748),
        -1e-3,
        0,
        1e-3,
        88.72,
        88.73,
        100,
        -104,
        -200,
      ]);
      const got = e.tidy(() => exp(createTensor(e, xs, [xs.length])).dataSync());
      xs.forEach((x, k) => {
        const ref = Math.exp(x);
        if (x > 88.7228) expect(got[k], `exp(${x})`).toBe(Infinity);
        else if (x < -103.98) expect(got[k], `exp(${x})`).toBe(0);
        else expect(Math.abs(got[k]! - ref), `exp(${x})`).toBeLessThanOrEqual(2.4e-7 * ref);
      });
      expect(Number.isNaN(e.tidy(() => exp(createTensor(e, [NaN], [1])).dataSync()[0]!))).toBe(
        true,
      );
    });

    it('an unread, disposed chain is never computed', async () => {
      const { engine: e, backend } = await gpuEngine(true);
      const x = createTensor(e, values(64, 7), [64]);
      const d0 = backend.stats().dispatches;
      e.tidy(() => void exp(mul(x, 2)));
      expect(backend.stats().dispatches).toBe(d0);
    });
  });
});
