/**
 * The two WebGPU libraries, initialised in this one process on the same kind of adapter:
 * tapegrad's webgpu backend (Dawn from the npm package `webgpu`, in the device process the
 * backend starts) and @tensorflow/tfjs-backend-webgpu 4.22 (the same Dawn build in this
 * process, through `navigator.gpu` from the package's `create()`). Both pick Dawn's default
 * adapter: on a machine without a GPU, SwiftShader (set by VK_ICD_FILENAMES).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { Engine } from 'tapegrad';
import { conv, cpu, createEngine, math } from 'tapegrad';

type WebGPUModule = typeof import('../../../../packages/backend-webgpu/src/index.js');
export type TgWebGPUBackend = InstanceType<WebGPUModule['WebGPUBackend']>;

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const backendDir = join(repo, 'packages', 'backend-webgpu');

export interface WebGPULibs {
  tg: Engine;
  tgBackend: TgWebGPUBackend;
  /** Compute dispatches tfjs has issued so far (counted on Dawn's compute pass encoder). */
  tfDispatches: () => number;
  adapter: string;
}

/**
 * Starts both. tapegrad's backend comes from the workspace package's sources (this app
 * does not depend on it; tsx runs them) with the `webgpu` package resolved from there.
 */
export async function initWebGPU(): Promise<WebGPULibs> {
  const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
  if (!process.env.VK_ICD_FILENAMES && existsSync(swiftshader))
    process.env.VK_ICD_FILENAMES = swiftshader;
  const require = createRequire(join(backendDir, 'package.json'));
  const webgpuUrl = pathToFileURL(require.resolve('webgpu')).href;

  const { webgpu } = (await import(
    pathToFileURL(join(backendDir, 'src', 'index.ts')).href
  )) as WebGPUModule;
  const tg = createEngine({
    ops: [math, conv],
    backends: [webgpu({ webgpuModule: webgpuUrl, adapter: 'any' }), cpu()],
  });
  await tg.setBackend('webgpu');
  const tgBackend = tg.findBackend('webgpu') as TgWebGPUBackend;

  const { create, globals } = (await import(webgpuUrl)) as {
    create: (flags: string[]) => unknown;
    globals: Record<string, { prototype: Record<string, unknown> }>;
  };
  Object.assign(globalThis, globals);
  Object.defineProperty(globalThis, 'navigator', {
    value: { gpu: create([]), userAgent: 'node' },
    configurable: true,
  });
  let dispatches = 0;
  const pass = globals.GPUComputePassEncoder!.prototype;
  const dispatch = pass.dispatchWorkgroups as (...args: unknown[]) => void;
  pass.dispatchWorkgroups = function (this: unknown, ...args: unknown[]) {
    dispatches++;
    dispatch.apply(this, args);
  };
  // tfjs-core's Node entry registers no gradients; see ../libs.ts.
  createRequire(import.meta.url)('@tensorflow/tfjs-core/dist/register_all_gradients');
  await import('@tensorflow/tfjs-backend-webgpu');
  tf.enableProdMode();
  if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs-backend-webgpu failed to start');
  const info = tgBackend.channel.adapterInfo;
  return {
    tg,
    tgBackend,
    tfDispatches: () => dispatches,
    adapter: `${info.vendor} ${info.architecture} ${info.description}`.trim(),
  };
}

export { tf };
