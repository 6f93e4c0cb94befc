/**
 * Whether this machine has a WebGPU adapter (Node: the `webgpu` package over a Vulkan
 * driver; see the README). Without one, the suites are skipped with the reason printed,
 * except under CI (`CI` set), where a missing adapter is a test failure.
 */
import { createEngine } from '@tapegrad/core';
import type { Engine } from '@tapegrad/core';
import { cpu, cpuKernels } from '@tapegrad/backend-cpu';
import { conv } from '@tapegrad/ops-conv';
import { math } from '@tapegrad/ops-math';
import { it } from 'vitest';
import { createWebGPUBackend, webgpu } from '../src/index.js';

export interface Probe {
  ok: boolean;
  reason: string;
}

let probed: Promise<Probe> | null = null;

export function probeWebGPU(): Promise<Probe> {
  probed ??= createWebGPUBackend().then(
    (b) => {
      const info = b.channel.adapterInfo;
      b.dispose();
      return { ok: true, reason: `${info.vendor} ${info.architecture}`.trim() };
    },
    (e: unknown) => ({ ok: false, reason: (e as Error).message }),
  );
  return probed;
}

/**
 * Registers `suite` when an adapter exists; otherwise a failing test under CI, or a
 * skipped one (with the reason printed) elsewhere.
 */
export async function withWebGPU(name: string, suite: () => void): Promise<void> {
  const probe = await probeWebGPU();
  if (probe.ok) {
    suite();
    return;
  }
  if (process.env.CI) {
    it(`${name}: a WebGPU adapter is required in CI`, () => {
      throw new Error(
        `no WebGPU adapter in CI, so the webgpu backend is untested: ${probe.reason}`,
      );
    });
    return;
  }
  console.warn(`[backend-webgpu] skipping '${name}': ${probe.reason}`);
  it.skip(`${name} (skipped: no WebGPU adapter: ${probe.reason})`, () => {});
}

/**
 * An engine with math and conv on webgpu (active), cpu registered too. With `host` (default)
 * the CPU kernels are the backend's host kernels (float64, conv); without, ops lacking a WGSL
 * kernel fall back to the cpu backend through the engine.
 */
export async function webgpuEngine(host = true): Promise<Engine> {
  const engine = createEngine({
    ops: [math, conv],
    backends: [webgpu(host ? { hostKernels: cpuKernels } : {}), cpu()],
  });
  await engine.setBackend('webgpu');
  return engine;
}
