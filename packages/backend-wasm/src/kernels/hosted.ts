/**
 * The CPU backend's kernels, run directly on the wasm memory: inputs are typed-array
 * views of their blocks and outputs are allocated in the heap before the kernel runs,
 * so the data never leaves the wasm memory (the engine's per-op fallback would move
 * it to the CPU backend and back: two copies per op). This is how the wasm backend
 * runs every op it does not accelerate yet, and the float64/int32/bool cases of the
 * ones it does; `wasmUnacceleratedOps` lists them.
 *
 * Views of the wasm memory are detached when it grows, so every output is allocated
 * (and zero-filled, as CpuBackend.alloc does) before the kernel takes its first view.
 */
import type { Kernel, OutputSpec, TensorInfo, TypedArray } from '@tapegrad/core';
import { makeTypedArray, sizeFromShape } from '@tapegrad/core';
import type { WasmBackend, WasmKernel } from '../backend.js';
import { WasmData } from '../backend.js';

/** The part of `CpuBackend` that CPU kernels use (data, alloc, output), over a wasm backend's memory. */
class HostedCpu {
  /** Output blocks, allocated before the kernel runs. */
  private readonly reserved: WasmData[];
  /** Reserved blocks handed to the kernel by alloc, by their view. */
  private readonly views = new Map<TypedArray, WasmData>();
  private readonly handedOut = new Set<WasmData>();
  private readonly returned = new Set<WasmData>();

  constructor(
    private readonly backend: WasmBackend,
    outputs: readonly OutputSpec[],
  ) {
    this.reserved = outputs.map((spec) => {
      const data = backend.allocData(spec.dtype, sizeFromShape(spec.shape));
      backend.zero(data.ptr, data.byteLength);
      return data;
    });
  }

  data(info: TensorInfo): TypedArray {
    return this.backend.view(info.dataId as WasmData);
  }

  /** The next reserved output block of this dtype and size (zero-filled), else a plain array. */
  alloc(spec: OutputSpec): TypedArray {
    const size = sizeFromShape(spec.shape);
    const data = this.reserved.find(
      (d) => !this.handedOut.has(d) && d.dtype === spec.dtype && d.size === size,
    );
    if (!data) return makeTypedArray(spec.dtype, size);
    this.handedOut.add(data);
    const view = this.backend.view(data);
    this.views.set(view, data);
    return view;
  }

  output(values: TypedArray, spec: OutputSpec): TensorInfo {
    let data = this.views.get(values);
    if (!data || this.returned.has(data)) {
      // Values computed outside the heap (or a view of an input): copy them into a new block.
      data = this.backend.allocData(spec.dtype, values.length);
      this.backend.view(data).set(values);
    }
    this.returned.add(data);
    return { dataId: data, shape: spec.shape, dtype: spec.dtype };
  }

  /** Frees the reserved blocks the kernel did not return. */
  finish(): void {
    for (const data of this.reserved) if (!this.returned.has(data)) this.backend.free(data);
  }
}

/** A CPU kernel as a wasm kernel. */
export function hosted(kernel: Kernel): WasmKernel {
  return (args) => {
    const host = new HostedCpu(args.backend, args.outputs);
    try {
      return kernel({ ...args, backend: host });
    } finally {
      host.finish();
    }
  };
}

/**
 * A kernel that runs `fast` when every input and output is float32 (and `accepts` agrees),
 * else the hosted CPU kernel.
 */
export function float32Or(
  fast: WasmKernel,
  fallback: WasmKernel,
  accepts?: (args: Parameters<WasmKernel>[0]) => boolean,
): WasmKernel {
  return (args) => {
    const ok =
      args.inputs.every((t) => t.dtype === 'float32') &&
      args.outputs.every((s) => s.dtype === 'float32') &&
      (!accepts || accepts(args));
    return ok ? fast(args) : fallback(args);
  };
}
