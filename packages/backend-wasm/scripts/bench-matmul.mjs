#!/usr/bin/env node
/**
 * Quick matMul throughput of the wasm backend (not part of the tests; apps/bench holds
 * the comparisons against other libraries). Needs `pnpm build` of this package and its
 * dependencies (it imports dist/).
 *
 *   node scripts/bench-matmul.mjs [sizes...]     e.g. node scripts/bench-matmul.mjs 256 512 1024
 */
import { execSync } from 'node:child_process';
import { createEngine, createTensor } from '@tapegrad/core';
import { cpu } from '@tapegrad/backend-cpu';
import { math, matMul } from '@tapegrad/ops-math';
import { wasm } from '../dist/index.js';

const sizes = process.argv.slice(2).map(Number).filter(Boolean);
if (sizes.length === 0) sizes.push(256, 512, 1024);

const engine = createEngine({ ops: [math], backends: [wasm(), cpu()] });
await engine.setBackend('wasm');

try {
  console.log(`load: ${execSync('uptime').toString().trim()}`);
} catch {
  // uptime is informational only
}
for (const n of sizes) {
  const random = () => Float32Array.from({ length: n * n }, () => Math.random() * 2 - 1);
  const a = createTensor(engine, random(), [n, n]);
  const b = createTensor(engine, random(), [n, n]);
  const row = [];
  for (const [tA, tB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ]) {
    const reps = Math.max(5, Math.round(2e9 / (2 * n ** 3)));
    for (let i = 0; i < 3; i++) matMul(a, b, tA, tB).dispose();
    const times = [];
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      matMul(a, b, tA, tB).dispose();
      times.push(performance.now() - t0);
    }
    times.sort((x, y) => x - y);
    const median = times[times.length >> 1];
    row.push(`${tA ? 'T' : 'N'}${tB ? 'T' : 'N'} ${((2 * n ** 3) / median / 1e6).toFixed(1)}`);
  }
  console.log(`matMul ${n}: GFLOP/s (median) ${row.join(' | ')}`);
  a.dispose();
  b.dispose();
}
