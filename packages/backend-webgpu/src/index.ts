import type { BackendPlugin, Engine, Kernel } from '@tapegrad/core';
import { BackendError } from '@tapegrad/core';
import type { WebGPUBackendOptions } from './backend.js';
import { WebGPUBackend, gridLimit } from './backend.js';
import type { AdapterSummary } from './channel.js';
import { ProcessChannel, inThread } from './channel.js';
import { mayHaveHardwareGpu, softwareAdapterReason } from './adapter.js';
import { combineKernels } from './host.js';
import { webgpuKernels } from './kernels/index.js';
import { nodeBuiltin } from './node-builtins.js';

export { WebGPUBackend } from './backend.js';
export type { Program, WebGPUBackendOptions, WebGPUStats } from './backend.js';
export type { AdapterSummary, Channel } from './channel.js';
export type { EwFunction, LazyExpr, LazyInput } from './fusion/lazy.js';
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
  /**
   * Which adapters to accept: `'any'` (default) or `'hardware'`, which rejects software
   * renderers (SwiftShader, llvmpipe/lavapipe, WARP, fallback adapters: slower than the wasm
   * backend) and, in Node on Linux, does not start a device when there is no GPU device node.
   */
  adapter?: 'any' | 'hardware';
}

/**
 * Ops of `engine` without a WGSL kernel (composite and aliasing ops excluded: they run as other
 * ops or share storage): they run as host kernels when `hostKernels` is given, else on another
 * backend. Empty for ops-math and ops-conv; float64 tensors always run on the host.
 *
 * @example
 * ```ts
 * import { createEngine } from '@tapegrad/core';
 * import { math } from '@tapegrad/ops-math';
 * import { conv } from '@tapegrad/ops-conv';
 * const engine = createEngine({ ops: [math, conv] });
 * console.log(webgpuUnacceleratedOps(engine)); // []
 * ```
 */
export function webgpuUnacceleratedOps(engine: Engine): string[] {
  return engine
    .listOps()
    .filter((name) => {
      const def = engine.ops.get(name)!;
      return def.aliasInput === undefined && !def.composite && !(name in webgpuKernels);
    })
    .sort();
}

const NODE_HINT =
  'On Linux without a GPU: install the `chromium` package (SwiftShader Vulkan driver) and set ' +
  'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json; see the README of @tapegrad/backend-webgpu';

/**
 * The WebGPU backend plugin: `use(webgpu())` or `createEngine({ backends: [webgpu(), cpu()] })`.
 *
 * @example
 * ```ts
 * import { createEngine, createTensor } from '@tapegrad/core';
 * import { math } from '@tapegrad/ops-math';
 * import { cpu, cpuKernels } from '@tapegrad/backend-cpu';
 * const engine = createEngine({
 *   ops: [math],
 *   backends: [webgpu({ hostKernels: cpuKernels, adapter: 'hardware' }), cpu()],
 * });
 * await engine.ready(); // webgpu on a GPU, else cpu
 * const y = createTensor(engine, [1, 2, 3]).square().sum();
 * console.log(await y.data()); // Float32Array [14]
 * ```
 */
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

/**
 * Creates the backend: a Dawn device in a child process in Node, `navigator.gpu` in browsers.
 * Rejects with a `BackendError` saying why when there is no (suitable) adapter.
 *
 * @example
 * ```ts
 * const made = await createWebGPUBackend({ adapter: 'hardware' }).catch((e: Error) => e);
 * console.log(made instanceof Error ? made.message : made.stats()); // why not, or its counters
 * if (!(made instanceof Error)) made.dispose();
 * ```
 */
export async function createWebGPUBackend(opts: WebGPUOptions = {}): Promise<WebGPUBackend> {
  const options = { ...opts, float64: opts.float64 ?? opts.hostKernels !== undefined };
  gridLimit(options); // a bad option fails before a device is started
  if (options.device) {
    return new WebGPUBackend(inThread(options.device as GPUDevice, emptyInfo()), options);
  }
  const hardware = options.adapter === 'hardware';
  if (isNode()) {
    if (hardware && !mayHaveHardwareGpu(process.platform, await nodeBuiltin('fs'))) {
      throw new BackendError(
        `webgpu: no hardware GPU on this machine (no /dev/dri render node, /dev/nvidia0 or /dev/dxg), ${SOFTWARE_HINT}`,
      );
    }
    const url = options.webgpuModule ?? (await resolveWebgpuPackage());
    const key = `${url}|${(options.createFlags ?? []).join(',')}`;
    const channel = await sharedProcessChannel(key, url, options.createFlags ?? []);
    const software = hardware ? softwareAdapterReason(channel.adapterInfo) : null;
    if (software) {
      releaseUnusedChannel(key, channel);
      throw new BackendError(`webgpu: ${software}, ${SOFTWARE_HINT}`);
    }
    channelUsers.add(channel);
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
  const info = adapter.info;
  const summary: AdapterSummary = {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isFallbackAdapter: (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter,
  };
  const software = hardware ? softwareAdapterReason(summary) : null;
  if (software) throw new BackendError(`webgpu: ${software}, ${SOFTWARE_HINT}`);
  const device = await adapter.requestDevice();
  return new WebGPUBackend(inThread(device, summary), options, true);
}

/**
 * One child process (one Dawn instance, one device) per set of flags, shared by every
 * backend of this process: starting a device costs time, and buffers are per backend anyway.
 */
const sharedChannels = new Map<string, Promise<ProcessChannel>>();
/** Channels some backend uses (a channel only probed and rejected is closed again). */
const channelUsers = new WeakSet<ProcessChannel>();

const SOFTWARE_HINT =
  "skipped by adapter: 'hardware' (software adapters are slower than the wasm backend; " +
  "use adapter: 'any', or TAPEGRAD_WEBGPU=force with the tapegrad package, to allow them)";

function sharedProcessChannel(
  key: string,
  url: string,
  flags: readonly string[],
): Promise<ProcessChannel> {
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

/** Ends the device process of a channel no backend uses, so it does not outlive a rejected probe. */
function releaseUnusedChannel(key: string, channel: ProcessChannel): void {
  if (channelUsers.has(channel)) return;
  sharedChannels.delete(key);
  channel.destroy();
}

function emptyInfo(): AdapterSummary {
  return { vendor: '', architecture: '', device: '', description: '' };
}

async function resolveWebgpuPackage(): Promise<string> {
  try {
    const { createRequire } = await nodeBuiltin('module');
    const { pathToFileURL } = await nodeBuiltin('url');
    // ES modules have import.meta.url; CommonJS builds (where esbuild empties import.meta)
    // have __filename. Not the other way round: `node -e` defines a global __filename.
    const from = (import.meta as { url?: string }).url ?? __filename;
    const path = createRequire(from).resolve('webgpu');
    return pathToFileURL(path).href;
  } catch (e) {
    throw new BackendError(
      `webgpu: the npm package 'webgpu' (Dawn for Node, an optional peer dependency) could not be resolved: ` +
        `install it with \`npm i webgpu\` (${(e as Error).message})`,
    );
  }
}
