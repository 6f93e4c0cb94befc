/**
 * The webgpu backend as the umbrella registers it: top priority, but only on a hardware
 * adapter (software renderers such as SwiftShader are slower than wasm), and loaded on first
 * use from a separate chunk (`import('@tapegrad/backend-webgpu')`), so that importing tapegrad
 * costs nothing when it is not chosen.
 */
import type { Backend, BackendPlugin, Kernel } from '@tapegrad/core';
import { BackendError } from '@tapegrad/core';
import { cpuKernels } from '@tapegrad/backend-cpu';

/** `TAPEGRAD_WEBGPU`: unset = hardware adapters only, `force` = any adapter, `off` = never. */
export type WebGPUMode = 'hardware' | 'force' | 'off';

/** The mode from the `TAPEGRAD_WEBGPU` environment variable (Node; browsers: 'hardware'). */
export function webgpuModeFromEnv(): WebGPUMode {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const value = env?.TAPEGRAD_WEBGPU?.trim().toLowerCase();
  if (!value) return 'hardware';
  if (value === 'force' || value === '1') return 'force';
  if (value === 'off' || value === '0') return 'off';
  throw new BackendError(
    `webgpu: TAPEGRAD_WEBGPU='${value}' is not a valid setting (unset: hardware adapters only, 'force': any adapter, 'off': never)`,
  );
}

/**
 * Loads @tapegrad/backend-webgpu on first use: Node imports it only when webgpu is tried, and
 * bundlers (Vite, webpack, esbuild with splitting) put it in a chunk of its own that the page
 * fetches only then, so the main bundle does not carry it.
 */
function loadWebGPU(): Promise<typeof import('@tapegrad/backend-webgpu')> {
  return import('@tapegrad/backend-webgpu');
}

/**
 * The lazily loaded webgpu plugin (priority 3, host kernels from the CPU backend). Its kernel
 * table is a set of forwarding stubs (one per CPU kernel name, a superset of the WGSL ones)
 * filled when the backend is created, since the engine registers kernels at `use()` time.
 */
export function lazyWebGPU(mode: () => WebGPUMode = webgpuModeFromEnv): BackendPlugin {
  let loaded: Readonly<Record<string, Kernel>> | null = null;
  const stubs: Record<string, Kernel> = {};
  for (const name of Object.keys(cpuKernels)) {
    stubs[name] = (args) => {
      const kernel = loaded?.[name];
      if (!kernel)
        throw new BackendError(`webgpu: ${name} has no kernel (the backend is not loaded)`);
      return kernel(args);
    };
  }
  const create = async (): Promise<Backend> => {
    const m = mode();
    if (m === 'off') throw new BackendError('webgpu: disabled by TAPEGRAD_WEBGPU=off');
    const { createWebGPUBackend, webgpu } = await loadWebGPU();
    const options = {
      hostKernels: cpuKernels,
      adapter: m === 'force' ? 'any' : 'hardware',
    } as const;
    const backend = await createWebGPUBackend(options);
    loaded = webgpu(options).kernels as Readonly<Record<string, Kernel>>;
    return backend;
  };
  return {
    kind: 'backend',
    name: 'webgpu',
    priority: 3,
    kernels: stubs,
    create: () => {
      const made = create();
      // The engine may start this without awaiting it (a synchronous first op picks the next
      // backend): a rejection is then only a reason not to use webgpu, never an unhandled one.
      made.catch(() => undefined);
      return made;
    },
  };
}
