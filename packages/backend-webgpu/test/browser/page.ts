/**
 * The browser page's script (bundled by test/browser.test.ts): runs the cases on
 * `navigator.gpu` and leaves the results in `window.__webgpuResults`.
 */
import { createEngine } from '@tapegrad/core';
import { cpu } from '@tapegrad/backend-cpu';
import { math } from '@tapegrad/ops-math';
import { webgpu } from '../../src/index.js';
import type { WebGPUBackend } from '../../src/index.js';
import { browserCases } from './cases.js';

export interface PageResults {
  /** Why no case ran (no navigator.gpu, no adapter), or null. */
  unavailable: string | null;
  adapter: string;
  cases: { name: string; ok: boolean; message: string }[];
}

declare global {
  interface Window {
    __webgpuResults?: PageResults;
  }
}

async function gpuEngine(fusion: boolean) {
  const engine = createEngine({ ops: [math], backends: [webgpu({ fusion }), cpu()] });
  await engine.setBackend('webgpu');
  return engine;
}

async function main(): Promise<PageResults> {
  let gpu;
  try {
    gpu = await gpuEngine(true);
  } catch (e) {
    return { unavailable: (e as Error).message, adapter: '', cases: [] };
  }
  const info = (gpu.findBackend('webgpu') as WebGPUBackend).channel.adapterInfo;
  const env = {
    gpu,
    unfused: await gpuEngine(false),
    cpu: createEngine({ ops: [math], backends: [cpu()] }),
    fresh: async () => ({
      gpu: await gpuEngine(true),
      cpu: createEngine({ ops: [math], backends: [cpu()] }),
    }),
  };
  const cases: PageResults['cases'] = [];
  for (const c of browserCases) {
    try {
      await c.run(env);
      cases.push({ name: c.name, ok: true, message: '' });
    } catch (e) {
      cases.push({ name: c.name, ok: false, message: (e as Error).stack ?? String(e) });
    }
  }
  return { unavailable: null, adapter: `${info.vendor} ${info.architecture}`.trim(), cases };
}

void main().then((r) => (window.__webgpuResults = r));
