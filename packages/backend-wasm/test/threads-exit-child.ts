/**
 * Child process of threads.test.ts: a 2-thread wasm engine multiplies two matrices, then
 * (argument `dispose`) removes the backend from the engine, which disposes it, or (`keep`)
 * leaves it alive. Either way the process must exit by itself: the workers are unref'ed,
 * and dispose terminates them.
 */
import { createEngine, createTensor } from '@tapegrad/core';
import { math, matMul, sum } from '@tapegrad/ops-math';
import type { WasmBackend } from '../src/index.js';
import { wasm } from '../src/index.js';

const engine = createEngine({ ops: [math], backends: [wasm({ threads: 2, threadGrain: 0 })] });
await engine.setBackend('wasm');
const total = engine.tidy(() => {
  const ones = createTensor(engine, new Float32Array(32 * 32).fill(1), [32, 32]);
  return sum(matMul(ones, ones)).dataSync()[0];
});
const backend = engine.findBackend('wasm') as WasmBackend;
console.log(`threads ${backend.activeThreads()}, sum ${total! / 16}`);
if (process.argv[2] === 'dispose') {
  engine.removeBackend('wasm');
  console.log(`after removeBackend: threads ${backend.activeThreads()}`);
}
