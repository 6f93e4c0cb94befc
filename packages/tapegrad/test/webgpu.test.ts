import { existsSync } from 'node:fs';
import { cpu } from '@tapegrad/backend-cpu';
import { wasm } from '@tapegrad/backend-wasm';
import { createEngine, createTensor } from '@tapegrad/core';
import type { Engine } from '@tapegrad/core';
import { conv } from '@tapegrad/ops-conv';
import { math, matMul, relu } from '@tapegrad/ops-math';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebGPUMode } from '../src/webgpu.js';
import { lazyWebGPU, webgpuModeFromEnv } from '../src/webgpu.js';

// Without a GPU, the forced case runs on SwiftShader (Debian's chromium package ships it).
const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(swiftshader))
  process.env.VK_ICD_FILENAMES = swiftshader;

/** An engine with the umbrella's backends, webgpu in the given mode. */
function engineWith(mode: WebGPUMode): Engine {
  return createEngine({ ops: [math, conv], backends: [lazyWebGPU(() => mode), wasm(), cpu()] });
}

describe('tapegrad umbrella: webgpu registration', () => {
  const saved = process.env.TAPEGRAD_WEBGPU;
  afterEach(() => {
    if (saved === undefined) delete process.env.TAPEGRAD_WEBGPU;
    else process.env.TAPEGRAD_WEBGPU = saved;
  });

  it('reads TAPEGRAD_WEBGPU: unset = hardware only, force, off; anything else is an error', () => {
    delete process.env.TAPEGRAD_WEBGPU;
    expect(webgpuModeFromEnv()).toBe('hardware');
    process.env.TAPEGRAD_WEBGPU = 'force';
    expect(webgpuModeFromEnv()).toBe('force');
    process.env.TAPEGRAD_WEBGPU = 'off';
    expect(webgpuModeFromEnv()).toBe('off');
    process.env.TAPEGRAD_WEBGPU = 'always';
    expect(() => webgpuModeFromEnv()).toThrow(/TAPEGRAD_WEBGPU='always' is not a valid setting/);
  });

  it('webgpu has the top priority but a software adapter (or none) is skipped: ready() picks wasm', async () => {
    const e = engineWith('hardware');
    expect([...e.backends.keys()]).toEqual(['webgpu', 'wasm', 'cpu']);
    const start = performance.now();
    await e.ready();
    console.log(
      `[tapegrad] ready() with webgpu skipped took ${(performance.now() - start).toFixed(1)} ms`,
    );
    expect(e.getBackend()).toBe('wasm');
    await expect(e.setBackend('webgpu')).rejects.toThrow(
      /no hardware GPU on this machine|software renderer/,
    );
  });

  it('TAPEGRAD_WEBGPU=off: webgpu is never started', async () => {
    const e = engineWith('off');
    await e.ready();
    expect(e.getBackend()).toBe('wasm');
    await expect(e.setBackend('webgpu')).rejects.toThrow(/disabled by TAPEGRAD_WEBGPU=off/);
  });

  it('a synchronous first op runs on wasm while webgpu is tried in the background', () => {
    const e = engineWith('hardware');
    const y = relu(createTensor(e, [-1, 2], [2]));
    expect(e.getBackend()).toBe('wasm');
    expect(Array.from(y.dataSync())).toEqual([0, 2]);
  });

  it('forced: webgpu is chosen on any adapter and runs ops with its kernels', async (ctx) => {
    const e = engineWith('force');
    try {
      await e.setBackend('webgpu');
    } catch (err) {
      if (process.env.CI) throw err;
      console.warn(`[tapegrad] skipping the forced webgpu case: ${(err as Error).message}`);
      ctx.skip();
    }
    expect(e.getBackend()).toBe('webgpu');
    const a = createTensor(e, [1, -2, 3, 4], [2, 2]);
    const y = relu(matMul(a, a));
    expect(Array.from(await y.data())).toEqual([0, 0, 15, 10]);
    // The engine's first choice is webgpu too once it is ready.
    const f = engineWith('force');
    await f.ready();
    expect(f.getBackend()).toBe('webgpu');
  });
});
