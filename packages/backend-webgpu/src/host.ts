/**
 * Host kernels: CPU kernels (e.g. `cpuKernels` of @tapegrad/backend-cpu, passed in as
 * `webgpu({ hostKernels })`) run by the webgpu backend itself on host copies of the data.
 * They cover float64 (WGSL has no f64: float64 tensors live on the host) and ops without a
 * WGSL kernel, without the engine moving the tensors' storage to another backend.
 */
import type { Kernel, OutputSpec, TensorInfo, TypedArray } from '@tapegrad/core';
import { BackendError, makeTypedArray, sizeFromShape } from '@tapegrad/core';
import type { WebGPUBackend } from './backend.js';
import { HostData } from './backend.js';

/** The part of CpuBackend that CPU kernels use (data, alloc, output), over a webgpu backend. */
class HostedCpu {
  constructor(
    private readonly backend: WebGPUBackend,
    private readonly op: string,
  ) {}

  data(info: TensorInfo): TypedArray {
    if (info.dataId instanceof HostData) return info.dataId.values;
    if (!this.backend.canReadSync && !this.backend.hasShadow(info.dataId)) {
      throw new BackendError(
        `${this.op}: runs on the host here (no WGSL kernel for ${info.dtype}), which needs a ` +
          `synchronous GPU read that this WebGPU implementation cannot do`,
      );
    }
    return this.backend.readSync(info.dataId);
  }

  alloc(spec: OutputSpec): TypedArray {
    return makeTypedArray(spec.dtype, sizeFromShape(spec.shape));
  }

  output(values: TypedArray, spec: OutputSpec): TensorInfo {
    return {
      dataId: this.backend.write(values, spec.shape, spec.dtype),
      shape: spec.shape,
      dtype: spec.dtype,
    };
  }
}

/** A CPU kernel as a webgpu kernel. */
export function hosted(op: string, kernel: Kernel): Kernel<unknown, WebGPUBackend> {
  return (args) => kernel({ ...args, backend: new HostedCpu(args.backend, op) as never });
}

/**
 * The backend's kernel table: the WGSL kernel where there is one and no float64 is involved,
 * else the host kernel (when given).
 */
export function combineKernels(
  gpu: Record<string, Kernel<never, WebGPUBackend>>,
  host: Readonly<Record<string, Kernel>> | undefined,
): Record<string, Kernel<never, WebGPUBackend>> {
  if (!host) return gpu;
  const out: Record<string, Kernel<never, WebGPUBackend>> = {};
  for (const name of new Set([...Object.keys(gpu), ...Object.keys(host)])) {
    const g = gpu[name] as Kernel<unknown, WebGPUBackend> | undefined;
    const h = host[name] ? hosted(name, host[name]) : undefined;
    if (g && h) {
      out[name] = (args) =>
        args.inputs.some((t) => t.dtype === 'float64') ||
        args.outputs.some((t) => t.dtype === 'float64')
          ? h(args)
          : g(args);
    } else out[name] = (g ?? h)!;
  }
  return out;
}

export type { TypedArray };
