import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Engine, Tensor } from '@tapegrad/core';
import { Random, createTensor, valueAndGrads } from '@tapegrad/core';
import { conv2d } from '@tapegrad/ops-conv';
import { add, matMul, mul, relu, sum } from '@tapegrad/ops-math';
import { afterAll, describe, expect, it } from 'vitest';
import { wasmEngine as newWasmEngine } from './engines.js';
import type { KernelCall } from '../src/threads/pool.js';
import { mlpTraining } from './mlp.js';
import type { WasmBackend, WasmOptions } from '../src/index.js';
import { sharedMemorySupported, threadsSupported } from '../src/index.js';

const engines: Engine[] = [];
const backendOf = (engine: Engine) => engine.findBackend('wasm') as WasmBackend;

async function wasmEngine(options: WasmOptions = {}): Promise<Engine> {
  const engine = await newWasmEngine(options);
  engines.push(engine);
  return engine;
}

afterAll(() => {
  for (const engine of engines) backendOf(engine).dispose(); // stops the workers
});

function randomValues(n: number, seed: number): number[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, () => 2 * rng.uniform() - 1);
}

/** The bits of float32 results, for exact comparison (NaN payloads and −0 included). */
function bits(values: ArrayLike<number>): Uint32Array {
  return new Uint32Array(Float32Array.from(values).buffer);
}

/** Runs `compute` on a 1-thread and a 2-thread engine with the same inputs; returns both outputs. */
async function onOneAndTwoThreads(
  compute: (engine: Engine) => Float32Array[],
  options: WasmOptions = {},
): Promise<[Float32Array[], Float32Array[]]> {
  const one = await wasmEngine({ ...options, threads: 1 });
  const two = await wasmEngine({ ...options, threads: 2 });
  expect(backendOf(two).activeThreads()).toBe(2);
  return [one.tidy(() => compute(one)), two.tidy(() => compute(two))];
}

describe('memory', () => {
  it('is shared in Node (growth never detaches views); threads are supported', async () => {
    expect(sharedMemorySupported()).toBe(true);
    expect(threadsSupported()).toBe(true);
    const engine = await wasmEngine({ initialMemoryMiB: 1 });
    const backend = backendOf(engine);
    expect(backend.sharedMemory).toBe(true);
    expect(backend.memory().wasmSharedMemory).toBe(1);
    const before = backend.wasmMemory.buffer;
    const x = createTensor(engine, randomValues(600_000, 1), [600_000]); // 2.4 MB: grows
    expect(backend.wasmMemory.buffer.byteLength).toBeGreaterThan(before.byteLength);
    expect(before.byteLength).toBe(1024 * 1024); // the old buffer is not detached
    expect(x.dataSync()[5]).toBeCloseTo(randomValues(6, 1)[5]!, 6);
  });

  it('falls back to a plain memory (and 1 thread) with sharedMemory: false', async () => {
    const engine = await wasmEngine({ sharedMemory: false, threads: 2 });
    const backend = backendOf(engine);
    expect(backend.sharedMemory).toBe(false);
    expect(backend.getThreadsCount()).toBe(1);
    expect(backend.memory().wasmHeapBytes).toBe(64 * 1024 * 1024);
    const y = matMul(
      createTensor(engine, [1, 2, 3, 4], [2, 2]),
      createTensor(engine, [5, 6], [2, 1]),
    );
    expect(Array.from(y.dataSync())).toEqual([17, 39]);
  });
});

describe('threads', () => {
  it('setThreadsCount starts and stops workers; bad counts are rejected', async () => {
    const engine = await wasmEngine();
    const backend = backendOf(engine);
    expect(backend.getThreadsCount()).toBe(1);
    backend.setThreadsCount(3);
    expect(backend.getThreadsCount()).toBe(3);
    expect(backend.activeThreads()).toBe(3);
    backend.setThreadsCount(1);
    expect(backend.activeThreads()).toBe(1);
    expect(() => backend.setThreadsCount(0)).toThrow(/integer ≥ 1/);
    expect(() => backend.setThreadsCount(1.5)).toThrow(/integer ≥ 1/);
  });

  it('a failing call is reported (in a worker or taken back), and the pool keeps working', async () => {
    const engine = await wasmEngine({ threads: 2 });
    const backend = backendOf(engine);
    const nothing: KernelCall = { fn: 'heapBase', args: [] };
    // An export the module lacks (the type forbids it: a call built from a stale name).
    const missing = { fn: 'nope', args: [] } as unknown as KernelCall;
    expect(() => backend.parallel([nothing, missing])).toThrow(/no export nope/);
    // A geometry record far outside the memory: the kernel traps wherever it runs.
    const outOfBounds: KernelCall = { fn: 'im2col', args: [0, 2 ** 31, 0, 1, 0] };
    expect(() => backend.parallel([nothing, outOfBounds])).toThrow(
      /im2col failed in a worker|out of bounds/,
    );
    const y = matMul(
      createTensor(engine, [1, 2, 3, 4], [2, 2]),
      createTensor(engine, [5, 6], [2, 1]),
    );
    expect(Array.from(y.dataSync())).toEqual([17, 39]);
    expect(backend.activeThreads()).toBe(2);
    expect(() => backend.parallel([nothing, nothing])).not.toThrow();
  });

  it('matMul: bit-identical on 1 and 2 threads (all transposes, odd sizes, batches)', async () => {
    const cases: [number[], number[], boolean, boolean][] = [];
    for (const [tA, tB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      // Tall (rows split), wide (columns split), deeper than one KC slice (k = 301).
      cases.push([tA ? [301, 133] : [133, 301], tB ? [67, 301] : [301, 67], tA, tB]);
      cases.push([tA ? [301, 37] : [37, 301], tB ? [259, 301] : [301, 259], tA, tB]);
    }
    cases.push([[5, 33, 41], [5, 41, 29], false, false]); // batch split
    cases.push([[2, 77, 81], [77, 45], true, false]); // batch of 2, broadcast B
    const [one, two] = await onOneAndTwoThreads(
      (engine) =>
        cases.map(([sa, sb, tA, tB], i) => {
          const a = createTensor(
            engine,
            randomValues(
              sa.reduce((x, y) => x * y),
              i,
            ),
            sa,
          );
          const b = createTensor(
            engine,
            randomValues(
              sb.reduce((x, y) => x * y),
              i + 50,
            ),
            sb,
          );
          return matMul(a, b, tA, tB).dataSync() as Float32Array;
        }),
      { threadGrain: 0 },
    );
    for (let i = 0; i < cases.length; i++) expect(bits(two[i]!)).toEqual(bits(one[i]!));
  });

  it('unary and transcendental kernels: split into element ranges, bit-identical on 1 and 2 threads', async () => {
    const ops = ['Relu', 'Sqrt', 'Exp', 'Tanh', 'Sigmoid', 'Log', 'Erf', 'Sin'];
    const n = 40_003; // ranges of a multiple of 4, and an odd tail
    const values = randomValues(n, 7).map((v) => 6 * v);
    let splits = 0;
    const [one, two] = await onOneAndTwoThreads(
      (engine) => {
        const backend = backendOf(engine);
        const parallel = backend.parallel.bind(backend);
        backend.parallel = (calls) => {
          if (backend.activeThreads() === 2 && calls.length === 2) splits++;
          parallel(calls);
        };
        const x = createTensor(engine, values, [n]);
        const out = ops.map((op) => (engine.run(op, [x]) as Tensor).dataSync() as Float32Array);
        backend.parallel = parallel;
        return out;
      },
      { threadGrain: 0 },
    );
    expect(splits).toBe(ops.length);
    for (let i = 0; i < ops.length; i++) expect(bits(two[i]!)).toEqual(bits(one[i]!));
  });

  it('conv2d forward and both gradients: bit-identical on 1 and 2 threads', async () => {
    const [one, two] = await onOneAndTwoThreads(
      (engine) => {
        const x = createTensor(engine, randomValues(3 * 15 * 13 * 5, 1), [3, 15, 13, 5]);
        const f = createTensor(engine, randomValues(3 * 3 * 5 * 7, 2), [3, 3, 5, 7]);
        // Strided and dilated (overlapping windows: col2im accumulates), weighted so dy varies.
        const loss = (a: Tensor, b: Tensor) =>
          add(
            sum(
              mul(
                conv2d(a, b, [2, 1], 'same'),
                createTensor(engine, randomValues(3 * 8 * 13 * 7, 3), [3, 8, 13, 7]),
              ),
            ),
            sum(relu(conv2d(a, b, 1, 'valid', 'NHWC', 2))),
          );
        const { value, grads } = valueAndGrads(loss)([x, f]);
        return [value, ...grads].map((t) => t.dataSync() as Float32Array);
      },
      { threadGrain: 0 },
    );
    for (let i = 0; i < 3; i++) expect(bits(two[i]!)).toEqual(bits(one[i]!));
  });

  it('an MLP training step (default grain: big products split): bit-identical, and memory stays flat over 100 steps', async () => {
    const run = async (threads: number) => {
      const engine = await wasmEngine({ threads });
      const backend = backendOf(engine);
      const { step, params } = mlpTraining(engine, {
        inputs: 784,
        hidden: 256,
        batch: 128,
        weightScale: 0.1,
      });
      const losses100: number[] = [step(), step(), step()];
      const memBefore = engine.memory();
      const heapBefore = backend.heap.stats();
      for (let i = 0; i < 100; i++) losses100.push(step());
      expect(engine.memory()).toEqual(memBefore);
      expect(backend.heap.stats()).toEqual(heapBefore);
      const weights = params.map((p) => p.dataSync() as Float32Array);
      return { losses: losses100, weights, active: backend.activeThreads() };
    };
    const one = await run(1);
    const two = await run(2);
    expect(two.active).toBe(2);
    expect(two.losses).toEqual(one.losses);
    for (let i = 0; i < 3; i++) expect(bits(two.weights[i]!)).toEqual(bits(one.weights[i]!));
    expect(one.losses.at(-1)).toBeLessThan(one.losses[0]!);
  });

  it('workers never keep the process alive, and removeBackend (dispose) terminates them', async () => {
    const script = fileURLToPath(new URL('./threads-exit-child.ts', import.meta.url));
    for (const mode of ['dispose', 'keep'] as const) {
      const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>(
        (resolve) => {
          const child = execFile(
            process.execPath,
            ['--import', 'tsx', script, mode],
            { timeout: 60_000 },
            (error, out) => resolve({ code: error ? (error.code as number) : 0, stdout: out }),
          );
          child.stdin?.end();
        },
      );
      expect(stdout.trim().split('\n')).toEqual(
        mode === 'dispose'
          ? ['threads 2, sum 2048', 'after removeBackend: threads 1']
          : ['threads 2, sum 2048'],
      );
      expect(code).toBe(0);
    }
  });
});
