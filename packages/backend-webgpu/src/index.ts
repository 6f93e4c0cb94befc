import type { BackendPlugin, Kernel } from '@tapegrad/core';
import { BackendError } from '@tapegrad/core';
import type { WebGPUBackendOptions } from './backend.js';
import { WebGPUBackend } from './backend.js';
import type { AdapterSummary } from './channel.js';
import { ProcessChannel, inThread } from './channel.js';
import { combineKernels } from './host.js';
import { webgpuKernels } from './kernels/index.js';

export { GpuData, HostData, WebGPUBackend } from './backend.js';
export { hosted } from './host.js';
export type { Program, WebGPUBackendOptions } from './backend.js';
export type { AdapterSummary, Channel } from './channel.js';
export { webgpuKernels } from './kernels/index.js';

export interface WebGPUOptions extends WebGPUBackendOptions {
  /** Selection priority among registered backends (default 3: above wasm 2 and cpu 1). */
  priority?: number;
  /**
   * An existing GPUDevice to use, in the calling thread (typed loosely so that users need no
   * WebGPU types); synchronous reads are then unavailable.
   */
  device?: object;
  /** Node: module specifier or file URL of the `webgpu` package (default: resolved from here). */
  webgpuModule?: string;
  /** Node: flags for the `webgpu` package's `create()` (e.g. 'backend=vulkan'). */
  createFlags?: string[];
  /**
   * CPU kernels run by this backend on host copies (pass `cpuKernels` of @tapegrad/backend-cpu):
   * float64 tensors (kept on the host) and ops without a WGSL kernel. Without them, float64 is
   * unsupported and ops without a WGSL kernel fall back to another registered backend.
   */
  hostKernels?: Readonly<Record<string, Kernel>>;
}

/** Ops of ops-math/ops-conv without a WGSL kernel: they run on another backend (data moves). */
export const unacceleratedOps: readonly string[] = [
  'Conv2D',
  'Conv2DBackpropInput',
  'Conv2DBackpropFilter',
  'Conv3D',
  'Conv3DBackpropInput',
  'Conv3DBackpropFilter',
  'DepthwiseConv2D',
  'DepthwiseConv2DBackpropInput',
  'DepthwiseConv2DBackpropFilter',
  'MaxPool',
  'MaxPoolGrad',
  'MaxPoolGradGrad',
  'AvgPool',
  'AvgPoolGrad',
  'MaxPool3D',
  'MaxPool3DGrad',
  'MaxPool3DGradGrad',
  'AvgPool3D',
  'AvgPool3DGrad',
];

const NODE_HINT =
  'On Linux without a GPU: install the `chromium` package (SwiftShader Vulkan driver) and set ' +
  'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json; see the README of @tapegrad/backend-webgpu';

/** The WebGPU backend plugin: `use(webgpu())` or `createEngine({ backends: [webgpu(), cpu()] })`. */
export function webgpu(options: WebGPUOptions = {}): BackendPlugin<WebGPUBackend> {
  return {
    kind: 'backend',
    name: 'webgpu',
    priority: options.priority ?? 3,
    create: () => createWebGPUBackend(options),
    kernels: combineKernels(webgpuKernels, options.hostKernels),
  };
}

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** Creates the backend: a worker-hosted Dawn device in Node, navigator.gpu in browsers. */
export async function createWebGPUBackend(opts: WebGPUOptions = {}): Promise<WebGPUBackend> {
  const options = { ...opts, float64: opts.float64 ?? opts.hostKernels !== undefined };
  if (options.device) {
    return new WebGPUBackend(inThread(options.device as GPUDevice, emptyInfo()), options);
  }
  if (isNode()) {
    const url = options.webgpuModule ?? (await resolveWebgpuPackage());
    const channel = await sharedProcessChannel(url, options.createFlags ?? []);
    return new WebGPUBackend(channel, options);
  }
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) {
    throw new BackendError(
      'webgpu: navigator.gpu is not available (this browser has no WebGPU, or the page is not a secure context)',
    );
  }
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new BackendError('webgpu: requestAdapter() returned null: no WebGPU adapter');
  const device = await adapter.requestDevice();
  const info = adapter.info;
  return new WebGPUBackend(
    inThread(device, {
      vendor: info.vendor,
      architecture: info.architecture,
      device: info.device,
      description: info.description,
    }),
    options,
    true,
  );
}

/**
 * One child process (one Dawn instance, one device) per set of flags, shared by every
 * backend of this process: starting a device costs time, and buffers are per backend anyway.
 */
const sharedChannels = new Map<string, Promise<ProcessChannel>>();

function sharedProcessChannel(url: string, flags: readonly string[]): Promise<ProcessChannel> {
  const key = `${url}|${flags.join(',')}`;
  let made = sharedChannels.get(key);
  if (!made) {
    made = ProcessChannel.create(url, flags).catch((e: unknown) => {
      throw new BackendError(
        `webgpu: no WebGPU device in Node (${(e as Error).message}). ${NODE_HINT}`,
      );
    });
    sharedChannels.set(key, made);
  }
  return made;
}

function emptyInfo(): AdapterSummary {
  return { vendor: '', architecture: '', device: '', description: '' };
}

async function resolveWebgpuPackage(): Promise<string> {
  try {
    const { createRequire } = await import('node:module');
    const { pathToFileURL } = await import('node:url');
    // CommonJS builds have __filename; ES modules have import.meta.url.
    const from = typeof __filename === 'string' ? __filename : import.meta.url;
    const path = createRequire(from).resolve('webgpu');
    return pathToFileURL(path).href;
  } catch (e) {
    throw new BackendError(
      `webgpu: the npm package 'webgpu' (Dawn for Node, an optional peer dependency) could not be resolved: ` +
        `install it with \`npm i webgpu\` (${(e as Error).message})`,
    );
  }
}
