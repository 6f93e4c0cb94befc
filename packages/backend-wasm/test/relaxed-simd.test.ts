import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { relaxedSimdSupported } from '../src/index.js';

interface ChildReport {
  supported: boolean;
  picked: { relaxedSimd: boolean; memory: number }[];
  threads: number;
  errorRatio: number[];
  bitIdentical: boolean;
  differFromPlain: number;
  conv: { errorRatio: number[]; differFromPlain: number };
}

/** Runs test/relaxed-simd-child.ts in a new node with `flags` and parses its report. */
function runChild(flags: string[]): Promise<ChildReport> {
  const script = fileURLToPath(new URL('./relaxed-simd-child.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...flags, '--import', 'tsx', script],
      { timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`relaxed-simd-child failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as ChildReport);
      },
    );
  });
}

const nodeMajor = Number(process.versions.node.split('.')[0]);

describe('relaxed-SIMD GEMM', () => {
  it('with --experimental-wasm-relaxed-simd: picked by default (main thread and workers), float32-accurate in all transposes and in conv2d, bit-identical on 1 and 2 threads, FMA-rounded', async () => {
    const r = await runChild(['--experimental-wasm-relaxed-simd']);
    expect(r.supported).toBe(true);
    expect(r.picked).toEqual([
      { relaxedSimd: true, memory: 1 },
      { relaxedSimd: true, memory: 1 },
      { relaxedSimd: false, memory: 0 }, // relaxedSimd: false forces the plain kernel
    ]);
    expect(r.threads).toBe(2);
    // Every element within the float32 dot-product bound (k + 1)·2⁻²⁴·Σ|a·b|.
    for (const ratio of r.errorRatio) {
      expect(ratio).toBeGreaterThan(0);
      expect(ratio).toBeLessThanOrEqual(1);
    }
    expect(r.bitIdentical).toBe(true);
    // One rounding per multiply-add instead of two: the relaxed kernel really ran.
    expect(r.differFromPlain).toBeGreaterThan(1000);
    // conv2d's im2col GEMM runs in it too.
    for (const ratio of r.conv.errorRatio) {
      expect(ratio).toBeGreaterThan(0);
      expect(ratio).toBeLessThanOrEqual(1);
    }
    expect(r.conv.differFromPlain).toBeGreaterThan(100);
  }, 60_000);

  it.runIf(nodeMajor < 22)(
    'without the flag (Node 20): the plain kernel everywhere, same accuracy',
    async () => {
      const r = await runChild([]);
      expect(r.supported).toBe(false);
      expect(r.picked.every((p) => !p.relaxedSimd && p.memory === 0)).toBe(true);
      expect(r.threads).toBe(2);
      for (const ratio of r.errorRatio) expect(ratio).toBeLessThanOrEqual(1);
      expect(r.bitIdentical).toBe(true);
      expect(r.differFromPlain).toBe(0);
      expect(r.conv.differFromPlain).toBe(0);
      for (const ratio of r.conv.errorRatio) expect(ratio).toBeLessThanOrEqual(1);
    },
    60_000,
  );

  it('relaxedSimdSupported() agrees with WebAssembly.validate in this process', () => {
    expect(relaxedSimdSupported()).toBe(nodeMajor >= 22);
  });
});
