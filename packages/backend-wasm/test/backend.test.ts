import type { Engine, Tensor } from '@tapegrad/core';
import { Random, createEngine, createTensor } from '@tapegrad/core';
import { cpu } from '@tapegrad/backend-cpu';
import { math, matMul } from '@tapegrad/ops-math';
import { describe, expect, it, vi } from 'vitest';
import { cpuEngine, wasmEngine } from './engines.js';
import { mlpTraining } from './mlp.js';
import type { WasmBackend } from '../src/index.js';
import {
  Heap,
  WASM_ACCELERATED_OPS,
  WASM_HOSTED_OPS,
  simdSupported,
  wasm,
  wasmUnacceleratedOps,
} from '../src/index.js';

function randomValues(n: number, seed: number, lo = -1, hi = 1): number[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function backendOf(engine: Engine): WasmBackend {
  return engine.findBackend('wasm') as WasmBackend;
}

/** Runs an op on the wasm engine and on the CPU engine with the same inputs; returns both outputs. */
function runBoth(
  engine: Engine,
  op: string,
  inputs: { shape: number[]; values?: number[]; seed?: number }[],
  attrs: Record<string, unknown> = {},
): [Float32Array, Float32Array, readonly number[]] {
  const values = inputs.map((t, i) => t.values ?? randomValues(sizeOf(t.shape), t.seed ?? i + 1));
  const onWasm = engine.tidy(() => {
    const xs = inputs.map((t, i) => createTensor(engine, values[i]!, t.shape, 'float32'));
    const y = engine.run(op, xs, attrs) as Tensor;
    expect(y.storage.backend.name).toBe('wasm');
    return [y.dataSync() as Float32Array, y.shape] as const;
  });
  const onCpu = cpuEngine.tidy(() => {
    const xs = inputs.map((t, i) => createTensor(cpuEngine, values[i]!, t.shape, 'float32'));
    return (cpuEngine.run(op, xs, attrs) as Tensor).dataSync() as Float32Array;
  });
  return [onWasm[0], onCpu, onWasm[1]];
}

/** Elementwise |a − b| ≤ atol + rtol·|b| (NaN matches NaN). */
function expectAllClose(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  rtol = 1e-5,
  atol = 1e-6,
): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(y)) {
      expect(Number.isNaN(x), `element ${i}: ${x} vs NaN`).toBe(true);
      continue;
    }
    if (x === y) continue;
    expect(Math.abs(x - y) <= atol + rtol * Math.abs(y), `element ${i}: ${x} vs ${y}`).toBe(true);
  }
}

describe('module', () => {
  it('is embedded in the bundle and validates on this host (SIMD)', () => {
    expect(simdSupported()).toBe(true);
  });

  it('the wasm backend is chosen over cpu by priority', async () => {
    const engine = createEngine({ ops: [math], backends: [cpu(), wasm()] });
    await engine.ready();
    expect(engine.getBackend()).toBe('wasm');
  });

  it('lists what it does not accelerate', async () => {
    const engine = await wasmEngine();
    const list = wasmUnacceleratedOps(engine);
    for (const op of [
      'BatchMatMul',
      'Add',
      'Relu',
      'Sum',
      'Softmax',
      'Conv2D',
      'Conv2DBackpropFilter',
    ])
      expect(list).not.toContain(op);
    expect(list).toEqual(expect.arrayContaining([...WASM_HOSTED_OPS]));
    expect(WASM_ACCELERATED_OPS).toContain('BatchMatMul');
  });
});

describe('GEMM', () => {
  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [3, 5, 7],
    [5, 8, 13],
    [17, 33, 9],
    [121, 19, 257], // crosses MC = 120 and KC = 256
    [6, 1030, 5], // crosses NC = 1024
    [64, 64, 0], // k = 0: zeros
  ];
  for (const [m, n, k] of sizes) {
    for (const [tA, tB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      it(`${m}×${k} · ${k}×${n}, transposeA ${tA}, transposeB ${tB}: matches a naive float64 product`, async () => {
        const engine = await wasmEngine();
        const a = randomValues(m * k, 1 + m);
        const b = randomValues(k * n, 2 + n);
        const av = (i: number, p: number) => (tA ? a[p * m + i]! : a[i * k + p]!);
        const bv = (p: number, j: number) => (tB ? b[j * k + p]! : b[p * n + j]!);
        const y = engine.tidy(() =>
          matMul(
            createTensor(engine, a, tA ? [k, m] : [m, k]),
            createTensor(engine, b, tB ? [n, k] : [k, n]),
            tA,
            tB,
          ).dataSync(),
        );
        expect(y.length).toBe(m * n);
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            let want = 0;
            let scale = 0;
            for (let p = 0; p < k; p++) {
              want += av(i, p) * bv(p, j);
              scale += Math.abs(av(i, p) * bv(p, j));
            }
            const got = y[i * n + j]!;
            expect(
              Math.abs(got - want) <= 1e-6 * (scale + 1),
              `C[${i},${j}] = ${got}, want ${want}`,
            ).toBe(true);
          }
        }
      });
    }
  }

  it('broadcasts batch dimensions (single-matrix operands and general broadcasting)', async () => {
    const engine = await wasmEngine();
    for (const [sa, sb, attrs] of [
      [[4, 3, 5], [5, 2], { transposeA: false, transposeB: false }],
      [[3, 5], [4, 2, 5], { transposeA: false, transposeB: true }],
      [[2, 1, 3, 4], [5, 4, 6], { transposeA: false, transposeB: false }],
      [[2, 1, 4, 3], [1, 5, 6, 4], { transposeA: true, transposeB: true }],
    ] as const) {
      const [w, c, shape] = runBoth(
        engine,
        'BatchMatMul',
        [{ shape: [...sa] }, { shape: [...sb] }],
        attrs,
      );
      expect(shape.length).toBe(Math.max(sa.length, sb.length));
      expectAllClose(w, c, 1e-5, 1e-5);
    }
  });
});

describe('kernels agree with the CPU backend (float32)', () => {
  it('unary ops, edge values included', async () => {
    const engine = await wasmEngine();
    const edge = [0, -0, 1e-30, -1e-8, 0.5, -3, 6, 7, 100, -1000, Infinity, -Infinity, NaN];
    const values = [...edge, ...randomValues(301, 9, -10, 10)];
    const shape = [values.length];
    for (const op of ['Neg', 'Abs', 'Sqrt', 'Rsqrt', 'Relu', 'Relu6', 'Square', 'Reciprocal']) {
      const [w, c] = runBoth(engine, op, [{ shape, values }]);
      expectAllClose(w, c, 2 ** -23, 0);
    }
    const [lw, lc] = runBoth(engine, 'LeakyRelu', [{ shape, values }], { alpha: 0.2 });
    expectAllClose(lw, lc, 2 ** -23, 0);
    const [cw, cc] = runBoth(engine, 'ClipByValue', [{ shape, values }], { min: -2.5, max: 3 });
    expectAllClose(cw, cc, 0, 0);
  });

  it('binary ops: same shapes, scalars, long and short broadcast rows', async () => {
    const engine = await wasmEngine();
    const pairs: [number[], number[]][] = [
      [[37], [37]],
      [[5, 37], [1]],
      [[1], [5, 37]],
      [[6, 40], [40]], // bias add: SIMD rows
      [
        [6, 1],
        [6, 40],
      ],
      [
        [3, 1, 20],
        [4, 1],
      ], // short rows: CPU kernel on the wasm memory
      [
        [2, 3, 33],
        [3, 1],
      ],
    ];
    for (const op of ['Add', 'Sub', 'Mul', 'Div', 'Maximum', 'Minimum', 'SquaredDifference']) {
      for (const [sa, sb] of pairs) {
        const [w, c] = runBoth(engine, op, [{ shape: sa }, { shape: sb, seed: 7 }]);
        // The CPU kernels compute in float64 and round once; SquaredDifference rounds twice here.
        expectAllClose(w, c, 2 ** -22, 0);
      }
    }
    // AddN sums four inputs in one pass, then three at a time, left to right in float32 like
    // the CPU kernel (so bit for bit): every count from 1 to 9, an odd length.
    for (let count = 1; count <= 9; count++) {
      const inputs = Array.from({ length: count }, (_, i) => ({ shape: [9, 7], seed: 20 + i }));
      const [w, c] = runBoth(engine, 'AddN', inputs);
      expect(Array.from(w)).toEqual(Array.from(c));
    }
  });

  it('Sum / Max / Min over contiguous and non-contiguous axes', async () => {
    const engine = await wasmEngine();
    const shape = [3, 5, 7, 9];
    for (const op of ['Sum', 'Max', 'Min']) {
      for (const axes of [[3], [0], [1, 2], [0, 1, 2, 3], [1, 3], [2]]) {
        const [w, c] = runBoth(engine, op, [{ shape }], { axes, keepDims: false });
        expectAllClose(w, c, 1e-6, 1e-6);
      }
    }
    const nan = [1, NaN, 3, 4, 5, 6, 7, 8, 9];
    for (const op of ['Max', 'Min']) {
      const [w] = runBoth(engine, op, [{ shape: [9], values: nan }], {
        axes: [0],
        keepDims: false,
      });
      expect(Number.isNaN(w[0]!)).toBe(true);
    }
  });

  it('Softmax / LogSoftmax along the last axis and along another axis', async () => {
    const engine = await wasmEngine();
    for (const op of ['Softmax', 'LogSoftmax']) {
      for (const axis of [2, 1]) {
        const [w, c] = runBoth(engine, op, [{ shape: [4, 6, 11] }], { axis });
        expectAllClose(w, c, 1e-6, 1e-7);
      }
    }
  });

  it('Softmax / LogSoftmax of rows with -Infinity, +Infinity, NaN and huge spreads match the CPU', async () => {
    const engine = await wasmEngine();
    const I = Infinity;
    // Rows of 5: -∞ entries (probability 0), all -∞ (NaN, as 0/0), +∞ (NaN), NaN,
    // a spread beyond e^-120 (Double2.exp's clamp) and beyond float32's range.
    const values = [
      [-I, 1, -I, 2, 3],
      [-I, -I, -I, -I, -I],
      [I, 0, 1, 2, 3],
      [NaN, 0, 1, 2, 3],
      [0, -130, -200, -800, 5],
      [1e30, -1e30, 0, 1, 2],
    ].flat();
    for (const op of ['Softmax', 'LogSoftmax']) {
      const [w, c] = runBoth(engine, op, [{ shape: [6, 5], values }], { axis: 1 });
      expectAllClose(w, c, 1e-6, 1e-30);
    }
    // Hand-derived: softmax([-∞, 0, 0]) = [0, 1/2, 1/2].
    const [half] = runBoth(engine, 'Softmax', [{ shape: [3], values: [-I, 0, 0] }], { axis: 0 });
    expect(Array.from(half)).toEqual([0, 0.5, 0.5]);
  });

  it('Conv2D and both backprops (strides, padding, dilation, 1×1, several im2col chunks)', async () => {
    const engine = await wasmEngine();
    const cases = [
      { x: [2, 9, 8, 3], f: [3, 3, 3, 4], strides: [1, 1], pad: 'same', dilations: [1, 1] },
      { x: [1, 10, 11, 2], f: [3, 2, 2, 5], strides: [2, 3], pad: 'valid', dilations: [1, 1] },
      { x: [2, 8, 8, 3], f: [2, 3, 3, 2], strides: [1, 1], pad: 1, dilations: [2, 2] },
      { x: [2, 5, 6, 7], f: [1, 1, 7, 3], strides: [1, 1], pad: 'valid', dilations: [1, 1] },
      // 16384 positions × 144 taps: the column matrix is built in three chunks.
      { x: [4, 64, 64, 16], f: [3, 3, 16, 8], strides: [1, 1], pad: 'same', dilations: [1, 1] },
    ] as const;
    for (const c of cases) {
      const attrs = { strides: [...c.strides], pad: c.pad, dilations: [...c.dilations] };
      const [y, yc, yShape] = runBoth(
        engine,
        'Conv2D',
        [{ shape: [...c.x] }, { shape: [...c.f], seed: 3 }],
        attrs,
      );
      expectAllClose(y, yc, 1e-5, 1e-5);
      const [dx, dxc] = runBoth(
        engine,
        'Conv2DBackpropInput',
        [
          { shape: [...yShape], seed: 4 },
          { shape: [...c.f], seed: 3 },
        ],
        { ...attrs, inputShape: [...c.x] },
      );
      expectAllClose(dx, dxc, 1e-5, 1e-5);
      const [dw, dwc] = runBoth(
        engine,
        'Conv2DBackpropFilter',
        [{ shape: [...c.x] }, { shape: [...yShape], seed: 4 }],
        { ...attrs, filterShape: [...c.f] },
      );
      // dW sums over every output position: float32 accumulation (the CPU GEMM accumulates
      // in float64) differs by about eps·positions·|term| where the terms cancel.
      const positions = sizeOf(yShape) / c.f[3];
      expectAllClose(dw, dwc, 1e-5, Math.max(1e-5, 1e-7 * positions));
    }
  });
});

describe('memory', () => {
  it('100 training steps: engine memory, the wasm allocator and the wasm memory stay flat', async () => {
    const engine = await wasmEngine();
    const backend = backendOf(engine);
    const { step, params } = mlpTraining(engine, {
      inputs: 32,
      hidden: 64,
      batch: 128,
      weightScale: 0.3,
    });
    const first = step();
    const memBefore = engine.memory();
    step();
    step();
    const heapBefore = backend.heap.stats();
    let last = first;
    for (let i = 0; i < 100; i++) last = step();
    const memAfter = engine.memory();
    expect(memAfter.numTensors).toBe(memBefore.numTensors);
    expect(memAfter.numBytes).toBe(memBefore.numBytes);
    expect(memAfter.backends).toEqual(memBefore.backends);
    // Free lists settle after a step or two; from then on nothing grows.
    expect(backend.heap.stats()).toEqual(heapBefore);
    expect(memAfter.backends.cpu?.numBuffers ?? 0).toBe(0);
    expect(last).toBeLessThan(first);
    engine.dispose(params);
  });

  it('fills new tensors in the module (zeros, ones, fill) in every dtype it stores', async () => {
    const engine = await wasmEngine();
    const backend = backendOf(engine);
    const before = backend.memory();
    const write = vi.spyOn(backend, 'write'); // no JavaScript array is built and copied in
    const cases: [number, 'float32' | 'int32' | 'bool' | 'float64', number[]][] = [
      [0, 'float32', [0, 0, 0, 0, 0]],
      [-0, 'float32', [-0, -0, -0, -0, -0]],
      [1.5, 'float32', [1.5, 1.5, 1.5, 1.5, 1.5]],
      [NaN, 'float32', [NaN, NaN, NaN, NaN, NaN]],
      [1e40, 'float32', [Infinity, Infinity, Infinity, Infinity, Infinity]],
      [-7, 'int32', [-7, -7, -7, -7, -7]],
      [2, 'bool', [1, 1, 1, 1, 1]],
      [0.1, 'float64', [0.1, 0.1, 0.1, 0.1, 0.1]],
    ];
    for (const [value, dtype, want] of cases) {
      const t = engine.fill([5], value, dtype);
      expect(t.storage.backend.name).toBe('wasm');
      expect(Array.from(t.dataSync())).toEqual(want);
      engine.dispose(t);
    }
    const zeros = engine.zeros([3, 0]);
    expect(zeros.dataSync().length).toBe(0);
    engine.dispose(zeros);
    expect(backend.memory().numBytes).toBe(before.numBytes);
    expect(backend.memory().numBuffers).toBe(before.numBuffers);
    expect(write).not.toHaveBeenCalled();
    write.mockRestore();
  });

  it('grows the wasm memory past its initial size; tensors keep their values', async () => {
    const engine = await wasmEngine({ initialMemoryMiB: 1 });
    const backend = backendOf(engine);
    expect(backend.memory().wasmHeapBytes).toBe(1024 * 1024);
    const first = createTensor(engine, randomValues(1000, 5), [1000]);
    const want = Array.from(first.dataSync());
    const big = [0, 1, 2, 3].map((i) =>
      createTensor(engine, randomValues(300 * 300, 10 + i), [300, 300]),
    );
    const product = matMul(big[0]!, big[1]!);
    expect(backend.memory().wasmHeapBytes).toBeGreaterThan(4 * 300 * 300 * 4);
    expect(Array.from(first.dataSync())).toEqual(want);
    const onCpu = cpuEngine.tidy(() =>
      matMul(
        createTensor(cpuEngine, Array.from(big[0]!.dataSync()), [300, 300]),
        createTensor(cpuEngine, Array.from(big[1]!.dataSync()), [300, 300]),
      ).dataSync(),
    );
    expectAllClose(product.dataSync(), onCpu, 1e-5, 1e-5);
    const live = backend.memory().numBytes;
    engine.dispose([first, ...big, product]);
    expect(backend.memory().numBytes).toBe(live - (1000 + 5 * 300 * 300) * 4);
    expect(backend.memory().numBuffers).toBe(0);
  });
});

describe('heap', () => {
  const base = 1024;
  const newHeap = () => new Heap(new WebAssembly.Memory({ initial: 1 }), base);

  it('coalesces freed neighbours and returns free space at the top', () => {
    const heap = newHeap();
    const a = heap.alloc(1000);
    const b = heap.alloc(1000);
    const c = heap.alloc(1000);
    expect([a.size, b.ptr - a.ptr, c.ptr - b.ptr]).toEqual([1024, 1024, 1024]);
    heap.release(a.ptr, a.size);
    heap.release(b.ptr, b.size);
    expect(heap.stats()).toMatchObject({ freeBytes: 2048, liveBlocks: 1 });
    // 2000 bytes (class 2048) fit the coalesced a+b exactly.
    expect(heap.alloc(2000)).toEqual({ ptr: a.ptr, size: 2048 });
    heap.release(a.ptr, 2048);
    // The front of a larger free block; the rest stays free.
    expect(heap.alloc(100)).toEqual({ ptr: a.ptr, size: 112 });
    expect(heap.stats().freeBytes).toBe(2048 - 112);
    heap.release(a.ptr, 112);
    heap.release(c.ptr, c.size);
    expect(heap.stats()).toEqual({
      heapBytes: 65536,
      liveBytes: 0,
      liveBlocks: 0,
      freeBytes: 0,
      topBytes: base,
    });
  });

  it('a workload whose sizes keep changing reuses the memory instead of growing it', () => {
    const heap = newHeap();
    const kept: { ptr: number; size: number }[] = [];
    let peakLive = 0;
    // Every step allocates temporaries of sizes no earlier step used, and keeps a small
    // block (a new weight) above them for two steps: only coalescing lets later, bigger
    // temporaries reuse the gaps.
    for (let step = 1; step <= 100; step++) {
      const temps = [step * 1000, step * 700 + 48, step * 300 + 16].map((n) => heap.alloc(n));
      kept.push(heap.alloc(64));
      // Summed here: stats() would coalesce, and this test is about the allocation path doing it.
      const live = [...temps, ...kept].reduce((sum, block) => sum + block.size, 0);
      peakLive = Math.max(peakLive, live);
      for (const t of temps) heap.release(t.ptr, t.size);
      if (kept.length > 2) heap.release(kept[0]!.ptr, kept.shift()!.size);
    }
    // The memory ends at 1.43 × the peak of live bytes (it grows by 64 KiB pages, at least
    // 1/8 at a time); size classes alone (no coalescing) need 3.1 × in used space.
    expect(heap.stats().heapBytes).toBeLessThan(1.5 * peakLive);
    for (const block of kept) heap.release(block.ptr, block.size);
    expect(heap.stats()).toMatchObject({ liveBytes: 0, freeBytes: 0, topBytes: base });
  });
});
