/**
 * The page of threads-browser.test.ts (bundled by esbuild from the sources): matMul in
 * every transpose combination on a 1-thread and a 2-thread wasm engine, every kernel split
 * (threadGrain 0); it reports whether the page is cross-origin isolated, whether the
 * memory is shared, how many threads took calls, and the bits of both results.
 */
import { createEngine, createTensor, Random } from '@tapegrad/core';
import { math, matMul } from '@tapegrad/ops-math';
import type { WasmBackend } from '../src/index.js';
import { wasm } from '../src/index.js';

export interface PageResult {
  isolated: boolean;
  shared: boolean;
  threads: number;
  active: number;
  one: number[];
  two: number[];
}

async function engineWith(threads: number) {
  const engine = createEngine({ ops: [math], backends: [wasm({ threads, threadGrain: 0 })] });
  await engine.setBackend('wasm');
  const backend = engine.findBackend('wasm') as WasmBackend;
  // Workers start in the background (a browser's main thread cannot wait for them).
  for (let i = 0; i < 200 && backend.activeThreads() < backend.getThreadsCount(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { engine, backend };
}

function products(engine: ReturnType<typeof createEngine>): number[] {
  const rng = new Random(7);
  const values = (n: number) => Array.from({ length: n }, () => 2 * rng.uniform() - 1);
  const a = createTensor(engine, values(67 * 131), [67, 131]);
  const b = createTensor(engine, values(131 * 45), [131, 45]);
  const out: number[] = [];
  for (const [tA, tB] of [
    [false, false],
    [true, true],
  ] as const) {
    const x = tA ? createTensor(engine, values(131 * 67), [131, 67]) : a;
    const y = tB ? createTensor(engine, values(45 * 131), [45, 131]) : b;
    const bits = new Uint32Array(Float32Array.from(matMul(x, y, tA, tB).dataSync()).buffer);
    out.push(...bits);
  }
  return out;
}

async function main(): Promise<PageResult> {
  const one = await engineWith(1);
  const two = await engineWith(2);
  const result: PageResult = {
    isolated: globalThis.crossOriginIsolated === true,
    shared: two.backend.sharedMemory,
    threads: two.backend.getThreadsCount(),
    active: two.backend.activeThreads(),
    one: products(one.engine),
    two: products(two.engine),
  };
  one.backend.dispose();
  two.backend.dispose();
  return result;
}

main().then(
  (result) => ((window as unknown as { __result: PageResult }).__result = result),
  (e: unknown) => ((window as unknown as { __error: string }).__error = String(e)),
);
