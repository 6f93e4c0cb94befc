import type {
  Backend,
  BackendMemory,
  DataHandle,
  DType,
  OutputSpec,
  Shape,
  TensorInfo,
  TypedArray,
} from '@tapegrad/core';
import { BackendError, sizeFromShape } from '@tapegrad/core';
import type { Channel } from './channel.js';

/** A tensor's buffer on the GPU (every dtype is stored as 4-byte words; bool as u32 0/1). */
export class GpuData {
  constructor(
    readonly id: number,
    /** Bytes of the GPU buffer (its pool size class). */
    readonly capacity: number,
    /** Number of elements. */
    readonly size: number,
    readonly dtype: DType,
    /** A CPU copy of data written from the CPU (small buffers), so readSync needs no GPU trip. */
    public shadow: TypedArray | null = null,
  ) {}
}

/** A float64 tensor: kept on the host (WGSL has no f64); run by host kernels. */
export class HostData {
  constructor(readonly values: TypedArray) {}
}

export interface WebGPUBackendOptions {
  /** Bytes of freed GPU buffers kept for reuse (default 256 MiB). */
  poolBytes?: number;
  /** Buffers written from the CPU up to this size keep a CPU copy for synchronous reads (default 64 KiB). */
  shadowBytes?: number;
  /** Store float64 tensors on the host (set when host kernels are given). */
  float64?: boolean;
}

const MIN_BUFFER = 256;

/** Size class of a buffer: powers of two up to 4 MiB, then multiples of 1 MiB. */
function sizeClass(bytes: number): number {
  if (bytes <= MIN_BUFFER) return MIN_BUFFER;
  if (bytes <= 4 << 20) return 2 ** Math.ceil(Math.log2(bytes));
  return Math.ceil(bytes / (1 << 20)) * (1 << 20);
}

const WORKGROUP = 64;

/** A compute program: its key (the pipeline cache key) and how to build its WGSL. */
export interface Program {
  key: string;
  numInputs: number;
  /** Number of u32 parameter words (fixed for a key). */
  numParams: number;
  code: () => string;
}

/**
 * The WebGPU device interface: pooled storage buffers, a command stream to the executor
 * (in a Node worker or in-thread), pipelines cached by key.
 */
export class WebGPUBackend implements Backend {
  readonly name = 'webgpu';
  readonly dtypes: readonly DType[];
  /** Every GPU buffer this backend created and has not destroyed (live and pooled). */
  private readonly owned = new Set<number>();
  private readonly pool = new Map<number, number[]>();
  private pooledBytes = 0;
  private liveBytes = 0;
  private liveGpuBytes = 0;
  private hostBytes = 0;
  private numBuffers = 0;
  private readonly compiled = new Set<string>();
  private readonly poolLimit: number;
  private readonly shadowLimit: number;
  private disposed = false;
  /** Dispatches issued by kernels (for dispatch-count measurements). */
  dispatchCount = 0;

  constructor(
    readonly channel: Channel,
    options: WebGPUBackendOptions = {},
    /** Whether disposing the backend also destroys the channel's device (not for a shared one). */
    private readonly ownsChannel = false,
  ) {
    this.dtypes = options.float64
      ? ['float32', 'int32', 'bool', 'float64']
      : ['float32', 'int32', 'bool'];
    this.poolLimit = options.poolBytes ?? 256 * 1024 * 1024;
    this.shadowLimit = options.shadowBytes ?? 64 * 1024;
  }

  /** Whether synchronous reads work (Node: yes, through the worker; browsers: no). */
  get canReadSync(): boolean {
    return this.channel.canReadSync;
  }

  private assertLive(): void {
    if (this.disposed) throw new BackendError('webgpu: the backend was disposed');
  }

  private allocBuffer(bytes: number): { id: number; capacity: number } {
    this.assertLive();
    const capacity = sizeClass(bytes);
    const free = this.pool.get(capacity);
    const reused = free?.pop();
    if (reused !== undefined) {
      this.pooledBytes -= capacity;
      return { id: reused, capacity };
    }
    const id = this.channel.newId();
    this.owned.add(id);
    this.channel.send({ op: 'create', id, size: capacity });
    this.liveGpuBytes += capacity;
    return { id, capacity };
  }

  /** A new (uninitialized) output buffer for a kernel. */
  alloc(spec: OutputSpec): GpuData {
    const size = sizeFromShape(spec.shape);
    const { id, capacity } = this.allocBuffer(size * 4);
    this.numBuffers++;
    this.liveBytes += size * 4;
    return new GpuData(id, capacity, size, spec.dtype);
  }

  write(values: TypedArray, _shape: Shape, dtype: DType): DataHandle {
    if (dtype === 'float64') {
      this.hostBytes += values.byteLength;
      this.numBuffers++;
      return new HostData(values);
    }
    const data = this.alloc({ shape: [values.length], dtype });
    const words = toWords(values, dtype);
    if (values.length > 0) {
      this.channel.send(
        { op: 'write', id: data.id, data: new Uint8Array(words.buffer, 0, values.length * 4) },
        words.buffer as ArrayBuffer,
      );
    }
    if (values.byteLength <= this.shadowLimit) data.shadow = values;
    return data;
  }

  async read(dataId: DataHandle): Promise<TypedArray> {
    if (dataId instanceof HostData) return dataId.values;
    const d = dataId as GpuData;
    if (d.shadow) return d.shadow;
    const bytes = await this.channel.read(d.id, d.size * 4);
    return fromWords(bytes, d.dtype, d.size);
  }

  readSync(dataId: DataHandle): TypedArray {
    if (dataId instanceof HostData) return dataId.values;
    const d = dataId as GpuData;
    if (d.shadow) return d.shadow;
    const bytes = this.channel.readSync(d.id, d.size * 4);
    return fromWords(bytes, d.dtype, d.size);
  }

  /** The values of a buffer when they can be had synchronously (shadow or blocking read), else null. */
  tryReadSync(info: TensorInfo): TypedArray | null {
    if (info.dataId instanceof HostData) return info.dataId.values;
    const d = info.dataId as GpuData;
    if (d.shadow) return d.shadow;
    return this.canReadSync ? this.readSync(d) : null;
  }

  /** Whether a buffer has a CPU copy (readable synchronously everywhere). */
  hasShadow(dataId: DataHandle): boolean {
    return dataId instanceof HostData || (dataId as GpuData).shadow !== null;
  }

  free(dataId: DataHandle): void {
    if (dataId instanceof HostData) {
      this.hostBytes -= dataId.values.byteLength;
      this.numBuffers--;
      return;
    }
    const d = dataId as GpuData;
    this.numBuffers--;
    this.liveBytes -= d.size * 4;
    d.shadow = null;
    if (this.disposed) return;
    if (this.pooledBytes + d.capacity <= this.poolLimit) {
      const list = this.pool.get(d.capacity);
      if (list) list.push(d.id);
      else this.pool.set(d.capacity, [d.id]);
      this.pooledBytes += d.capacity;
    } else {
      this.channel.send({ op: 'destroy', id: d.id });
      this.owned.delete(d.id);
      this.liveGpuBytes -= d.capacity;
    }
  }

  /**
   * Live buffers: bytes of their elements (`numBytes`, as the engine counts them) and of the
   * GPU buffers holding them (`gpuBytes`, by size class). The pool of freed buffers is a
   * bounded cache (`poolBytes` option) reported by `poolInfo()`, not here, so that a training
   * step leaves memory() unchanged once the pool has warmed up.
   */
  memory(): BackendMemory {
    return {
      numBytes: this.liveBytes + this.hostBytes,
      numBuffers: this.numBuffers,
      gpuBytes: this.liveGpuBytes - this.pooledBytes,
      hostBytes: this.hostBytes,
    };
  }

  /** The pool of freed GPU buffers: bytes held, and every GPU buffer allocated (live and pooled). */
  poolInfo(): { pooledBytes: number; allocatedBytes: number; pipelines: number } {
    return {
      pooledBytes: this.pooledBytes,
      allocatedBytes: this.liveGpuBytes,
      pipelines: this.compiled.size,
    };
  }

  flush(): void {
    this.channel.flush();
  }

  /** Dispatches and submits counted by the executor (waits for the queue). */
  stats(): Promise<{ dispatches: number; submits: number }> {
    return this.channel.stats();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const id of this.owned) this.channel.send({ op: 'destroy', id });
    this.owned.clear();
    this.pool.clear();
    this.pooledBytes = 0;
    this.liveGpuBytes = 0;
    if (this.ownsChannel) this.channel.destroy();
    else this.channel.flush();
  }

  /**
   * Runs a program: `inputs` read-only, `output` written; `params` are u32 words (floats
   * as bit patterns); `threads` invocations (64 per workgroup, a 2-D grid when large) or
   * an explicit workgroup grid.
   */
  run(
    program: Program,
    inputs: readonly GpuData[],
    output: GpuData,
    params: ArrayLike<number>,
    threads: number | [number, number, number],
  ): void {
    this.assertLive();
    if (inputs.length !== program.numInputs || params.length !== program.numParams) {
      throw new BackendError(
        `webgpu: program ${program.key} takes ${program.numInputs} inputs and ${program.numParams} params, got ${inputs.length} and ${params.length}`,
      );
    }
    let groups: [number, number, number];
    if (typeof threads === 'number') {
      const n = Math.ceil(threads / WORKGROUP);
      if (n === 0) return;
      const x = Math.min(n, 65535);
      groups = [x, Math.ceil(n / x), 1];
    } else {
      if (threads[0] === 0 || threads[1] === 0 || threads[2] === 0) return;
      groups = threads;
    }
    if (!this.compiled.has(program.key)) {
      this.channel.send({
        op: 'pipeline',
        key: program.key,
        code: program.code(),
        numInputs: program.numInputs,
      });
      this.compiled.add(program.key);
    }
    const words = new Uint32Array(paramWords(program.numParams));
    for (let i = 0; i < params.length; i++) words[i] = params[i]!;
    this.channel.send(
      {
        op: 'dispatch',
        key: program.key,
        buffers: [...inputs.map((d) => d.id), output.id],
        params: new Uint8Array(words.buffer),
        groups,
      },
      words.buffer,
    );
    this.dispatchCount++;
  }
}

/** Number of u32 words of a params block (vec4-padded, at least one vec4). */
export function paramWords(numParams: number): number {
  return Math.max(4, Math.ceil(numParams / 4) * 4);
}

function toWords(values: TypedArray, dtype: DType): Uint32Array | Float32Array | Int32Array {
  if (dtype === 'float32') return Float32Array.from(values);
  if (dtype === 'int32') return Int32Array.from(values);
  if (dtype === 'bool') return Uint32Array.from(values, (v) => (v ? 1 : 0));
  throw new BackendError(`webgpu: dtype ${dtype} is not supported (float32, int32, bool)`);
}

function fromWords(bytes: Uint8Array, dtype: DType, size: number): TypedArray {
  const buf = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + size * 4);
  if (dtype === 'float32') return new Float32Array(buf);
  if (dtype === 'int32') return new Int32Array(buf);
  return Uint8Array.from(new Uint32Array(buf), (v) => (v ? 1 : 0));
}
