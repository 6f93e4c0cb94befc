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
import { BackendError, shapesEqual, sizeFromShape } from '@tapegrad/core';
import { softwareAdapterReason } from './adapter.js';
import type { Channel } from './channel.js';
import {
  MAX_FUSED_BUFFERS,
  MAX_FUSED_EXPRS,
  fuse,
  fusedExtent,
  isUniformValue,
} from './fusion/codegen.js';
import type { EwFunction, LazyExpr } from './fusion/lazy.js';

let nextUid = 1;

/**
 * A tensor's buffer on the GPU (every dtype is stored as 4-byte words; bool as u32 0/1), or a
 * deferred one: while `expr` is set, an elementwise expression not computed yet (fusion); a
 * scalar written from the CPU is uploaded only if a kernel binds it (fused kernels take it as
 * a uniform). The buffer is made the first time `id` is asked for.
 */
export class GpuData {
  /** Unique per handle (keys of fusion's common subexpressions). */
  readonly uid = nextUid++;
  /** The expression computing this value, until it has been computed into a buffer. */
  expr: LazyExpr<GpuData> | null = null;
  /** References: the engine's (or a kernel's) own, plus one per lazy expression reading it. */
  refs = 1;
  /** Freed by the engine while lazy expressions still read the buffer. */
  pinned = false;
  private buffer: number;
  private bytes: number;
  private materializer: ((d: GpuData) => void) | null = null;

  constructor(
    id: number,
    /** Bytes of the GPU buffer (its pool size class). */
    capacity: number,
    /** Number of elements. */
    readonly size: number,
    readonly dtype: DType,
    /** A CPU copy of data written from the CPU (small buffers), so readSync needs no GPU trip. */
    public shadow: TypedArray | null = null,
  ) {
    this.buffer = id;
    this.bytes = capacity;
  }

  /** A value whose buffer `materialize` makes later (it must call `setBuffer`). */
  static deferred(
    size: number,
    dtype: DType,
    materialize: (d: GpuData) => void,
    expr: LazyExpr<GpuData> | null,
    shadow: TypedArray | null = null,
  ): GpuData {
    const d = new GpuData(-1, 0, size, dtype, shadow);
    d.expr = expr;
    d.materializer = materialize;
    return d;
  }

  /** Whether the GPU buffer exists (false while deferred). */
  get materialized(): boolean {
    return this.buffer >= 0;
  }

  /** The GPU buffer's id (making the buffer first if deferred). */
  get id(): number {
    if (this.buffer < 0) this.materializer!(this);
    return this.buffer;
  }

  /** Bytes of the GPU buffer (0 while lazy). */
  get capacity(): number {
    return this.bytes;
  }

  /** Gives a lazy value its buffer (the expression is dropped by the caller once dispatched). */
  setBuffer(id: number, capacity: number): void {
    this.buffer = id;
    this.bytes = capacity;
  }
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
  /**
   * Fuse chains of elementwise ops into one kernel (default true): they are computed lazily,
   * when a read or a non-elementwise kernel needs them. `false` runs one dispatch per op.
   */
  fusion?: boolean;
  /**
   * Most workgroups per dimension of a dispatch grid (default and at most 65535, WebGPU's
   * default `maxComputeWorkgroupsPerDimension`). Larger grids are spread over y and z; a small
   * value forces that spreading on small tensors (tests).
   */
  maxWorkgroupsPerDimension?: number;
}

/** WebGPU's default `maxComputeWorkgroupsPerDimension`, the limit tapegrad's devices are created with. */
const MAX_WORKGROUPS_PER_DIMENSION = 65535;

/** The `maxWorkgroupsPerDimension` option, validated (a `BackendError` naming the valid range). */
export function gridLimit(options: WebGPUBackendOptions): number {
  const limit = options.maxWorkgroupsPerDimension ?? MAX_WORKGROUPS_PER_DIMENSION;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_WORKGROUPS_PER_DIMENSION) {
    throw new BackendError(
      `webgpu: option maxWorkgroupsPerDimension must be an integer in [1, ${MAX_WORKGROUPS_PER_DIMENSION}], got ${limit}`,
    );
  }
  return limit;
}

/** Counters of a webgpu backend (see `WebGPUBackend.stats()`). */
export interface WebGPUStats {
  /** Compute dispatches issued (one per kernel launch; a fused chain is one). */
  dispatches: number;
  /** Buffers written from the CPU. */
  uploads: number;
  /** Buffers read back from the GPU (reads served by a CPU copy are not counted). */
  reads: number;
  /** Command batches handed to the device (each one command encoder and one submit). */
  flushes: number;
  /** Elementwise ops recorded as expressions (computed fused, or never if unused). */
  elementwiseOps: number;
  /** Fused kernels run (each computes one or more elementwise ops). */
  fusedKernels: number;
  /** Distinct compute pipelines created. */
  pipelines: number;
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
 * (in a Node child process or in-thread), pipelines cached by key.
 *
 * @example
 * ```ts
 * import { createEngine, createTensor } from '@tapegrad/core';
 * import { math } from '@tapegrad/ops-math';
 * import { cpu } from '@tapegrad/backend-cpu';
 * const engine = createEngine({ ops: [math], backends: [webgpu({ adapter: 'hardware' }), cpu()] });
 * await engine.ready();
 * const backend = engine.backend;
 * if (backend instanceof WebGPUBackend) {
 *   await createTensor(engine, [1, 2]).exp().mul(2).data();
 *   console.log(backend.stats().dispatches); // 1: exp and mul ran as one fused kernel
 * }
 * ```
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
  /** GPU bytes of the values the engine holds (a lazy value counts as its buffer will). */
  private heldGpuBytes = 0;
  /** Buffers the engine freed that lazy expressions still read. */
  private pendingBytes = 0;
  private hostBytes = 0;
  private numBuffers = 0;
  private readonly compiled = new Set<string>();
  private readonly poolLimit: number;
  private readonly shadowLimit: number;
  private disposed = false;
  private readonly fusion: boolean;
  /** Most workgroups per grid dimension (see `groups`). */
  readonly maxGroups: number;
  /**
   * Workgroups a kernel should spread its work over to keep the device busy (reductions and
   * GEMMs with few outputs split their long axis until they have this many): 256 on a GPU,
   * which needs hundreds; 4 on a software adapter, whose few CPU threads run workgroups one
   * after another, so that more of them only add barriers and a longer second pass.
   */
  readonly occupancy: number;
  /**
   * Workgroups a GEMM launches at most, each looping over its share of the tiles: unbounded on
   * a GPU (one workgroup per tile); on a software adapter 4 (the occupancy), because each
   * workgroup of 256 invocations has a fixed start-up cost there (SwiftShader: ~3 ms of a
   * core; a 784×128 product with K = 64 in 26 tiles took 54 ms, 40 of them start-up).
   */
  readonly gemmGroups: number;
  private readonly counters = {
    dispatches: 0,
    uploads: 0,
    reads: 0,
    elementwiseOps: 0,
    fusedKernels: 0,
  };
  private readonly materializeLazy = (d: GpuData): void => this.materialize(d);
  private readonly uploadScalar = (d: GpuData): void => {
    const { id, capacity } = this.allocBuffer(4);
    d.setBuffer(id, capacity);
    this.upload(d, d.shadow!);
  };

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
    this.fusion = options.fusion ?? true;
    const limit = gridLimit(options);
    this.maxGroups = limit;
    const software = softwareAdapterReason(channel.adapterInfo) !== null;
    this.occupancy = software ? 4 : 256;
    this.gemmGroups = software ? this.occupancy : Infinity;
  }

  /**
   * A grid of at least `count` workgroups, spread over x, then y, then z with at most
   * `maxGroups` in each; shaders number a workgroup wg.x + nw.x·(wg.y + nw.y·wg.z) (`wid` of
   * `program`) and skip the numbers ≥ count. `what` names the kernel in the error when even a
   * 3-D grid is too small.
   */
  groups(count: number, what: string): [number, number, number] {
    const l = this.maxGroups;
    if (count > l * l * l) {
      throw new BackendError(
        `webgpu: ${what} needs ${count} workgroups; at most ${l}³ = ${l * l * l} fit a dispatch grid`,
      );
    }
    const x = Math.min(count, l);
    const y = Math.min(Math.ceil(count / x), l);
    return [x, y, Math.ceil(count / (x * y))];
  }

  /** Dispatches issued so far (same as `stats().dispatches`). */
  get dispatchCount(): number {
    return this.counters.dispatches;
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
    this.heldGpuBytes += capacity;
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
    if (values.length === 1) {
      const scalar = GpuData.deferred(1, dtype, this.uploadScalar, null, values);
      this.numBuffers++;
      this.liveBytes += 4;
      this.heldGpuBytes += sizeClass(4);
      return scalar;
    }
    const data = this.alloc({ shape: [values.length], dtype });
    if (values.length > 0) this.upload(data, values);
    if (values.byteLength <= this.shadowLimit) data.shadow = values;
    return data;
  }

  private upload(d: GpuData, values: TypedArray): void {
    const words = toWords(values, d.dtype);
    this.counters.uploads++;
    this.channel.send(
      { op: 'write', id: d.id, data: new Uint8Array(words.buffer, 0, values.length * 4) },
      words.buffer as ArrayBuffer,
    );
  }

  async read(dataId: DataHandle): Promise<TypedArray> {
    if (dataId instanceof HostData) return dataId.values;
    const d = dataId as GpuData;
    if (d.shadow) return d.shadow;
    const id = d.id;
    this.counters.reads++;
    const bytes = await this.channel.read(id, d.size * 4);
    return fromWords(bytes, d.dtype, d.size);
  }

  readSync(dataId: DataHandle): TypedArray {
    if (dataId instanceof HostData) return dataId.values;
    const d = dataId as GpuData;
    if (d.shadow) return d.shadow;
    const id = d.id;
    this.counters.reads++;
    const bytes = this.channel.readSync(id, d.size * 4);
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
    this.heldGpuBytes -= sizeClass(d.size * 4);
    if (d.refs > 1 && d.materialized) {
      d.pinned = true;
      this.pendingBytes += d.capacity;
    }
    this.release(d);
  }

  /**
   * Drops one reference to `d`: at zero a lazy value releases what its expression reads (it is
   * never computed), a buffer goes back to the pool.
   */
  private release(d: GpuData): void {
    if (--d.refs > 0) return;
    const expr = d.expr;
    if (expr) {
      d.expr = null;
      for (const input of expr.inputs) this.release(input.data);
      return;
    }
    if (d.pinned) this.pendingBytes -= d.capacity;
    d.shadow = null;
    if (this.disposed || !d.materialized) return;
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
   * Live values: bytes of their elements (`numBytes`, as the engine counts them) and of the
   * GPU buffers holding them (`gpuBytes`, by size class; a lazy elementwise value counts as the
   * buffer it will get, so the numbers do not depend on fusion). The pool of freed buffers is a
   * bounded cache (`poolBytes` option), and buffers freed by the engine but still read by lazy
   * expressions are bounded by the fusion limits: both are reported by `poolInfo()`, not here,
   * so that a training step leaves memory() unchanged once the pool has warmed up.
   */
  memory(): BackendMemory {
    return {
      numBytes: this.liveBytes + this.hostBytes,
      numBuffers: this.numBuffers,
      gpuBytes: this.heldGpuBytes,
      hostBytes: this.hostBytes,
    };
  }

  /**
   * GPU buffers beyond the live values: the pool of freed buffers (`pooledBytes`), buffers
   * kept for lazy expressions not computed yet (`pendingBytes`), every GPU buffer allocated
   * (`allocatedBytes`: live, pending and pooled), and the number of pipelines.
   */
  poolInfo(): {
    pooledBytes: number;
    pendingBytes: number;
    allocatedBytes: number;
    pipelines: number;
  } {
    return {
      pooledBytes: this.pooledBytes,
      pendingBytes: this.pendingBytes,
      allocatedBytes: this.liveGpuBytes,
      pipelines: this.compiled.size,
    };
  }

  flush(): void {
    this.channel.flush();
  }

  /**
   * Counters since the backend was created: dispatches, uploads, GPU reads, command flushes,
   * elementwise ops recorded and fused kernels run, pipelines. Take differences around a
   * workload (e.g. the dispatches of one training step).
   */
  stats(): WebGPUStats {
    return { ...this.counters, flushes: this.channel.flushes, pipelines: this.compiled.size };
  }

  /** Dispatches and submits counted by the executor on the device side (waits for the queue). */
  deviceStats(): Promise<{ dispatches: number; submits: number }> {
    return this.channel.stats();
  }

  /**
   * Records an elementwise op (`fn` of `inputs`, attribute words `attrs`) as a lazy value:
   * it is computed, fused with the elementwise ops it reads, when a read or a non-elementwise
   * kernel needs it, and never if it is freed first. An input from an earlier command flush, or
   * seen at another shape (a reshape) unless it is the same at every index, is computed first; so are the inputs when fusing them
   * would exceed a kernel's buffers or size.
   */
  elementwise(
    fn: EwFunction,
    inputs: readonly TensorInfo[],
    out: OutputSpec,
    attrs: readonly number[] = [],
  ): GpuData {
    this.assertLive();
    const epoch = this.channel.flushes;
    const data = inputs.map((t) => {
      const d = t.dataId as GpuData;
      // A value seen at another shape (a reshape) is computed first unless it is the same at
      // every index (a broadcast scalar: any view of it reads index 0).
      const reshaped = d.expr && !shapesEqual(d.expr.shape, t.shape) && !isUniformValue(d);
      if (d.expr && (d.expr.epoch !== epoch || reshaped)) this.materialize(d);
      return d;
    });
    const extent = fusedExtent(data);
    if (extent.buffers > MAX_FUSED_BUFFERS || extent.exprs >= MAX_FUSED_EXPRS) {
      for (const d of data) if (d.expr) this.materialize(d);
    }
    for (const d of data) d.refs++;
    const size = sizeFromShape(out.shape);
    const expr: LazyExpr<GpuData> = {
      fn,
      inputs: inputs.map((t, j) => ({ data: data[j]!, shape: t.shape })),
      attrs,
      shape: out.shape,
      epoch,
    };
    const result = GpuData.deferred(size, out.dtype, this.materializeLazy, expr);
    this.numBuffers++;
    this.liveBytes += size * 4;
    this.heldGpuBytes += sizeClass(size * 4);
    this.counters.elementwiseOps++;
    if (!this.fusion) this.materialize(result);
    return result;
  }

  /** Computes a lazy value into its own buffer: one fused kernel for its whole expression. */
  private materialize(d: GpuData): void {
    const expr = d.expr;
    if (!expr) return;
    const kernel = fuse(d, expr.shape);
    const { id, capacity } = this.allocBuffer(d.size * 4);
    d.setBuffer(id, capacity);
    d.expr = null;
    this.run(kernel.program, kernel.inputs, d, kernel.params, kernel.size);
    this.counters.fusedKernels++;
    for (const input of expr.inputs) this.release(input.data);
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
   * as bit patterns); `threads` invocations (64 per workgroup, spread over y and z when large:
   * see `groups`) or an explicit workgroup grid.
   */
  run(
    program: Program,
    inputs: readonly GpuData[],
    output: GpuData,
    params: ArrayLike<number>,
    threads: number | [number, number, number],
  ): void {
    this.assertLive();
    // Lazy inputs are computed first (their dispatches come before this one).
    const ids = inputs.map((d) => d.id);
    if (inputs.length !== program.numInputs || params.length !== program.numParams) {
      throw new BackendError(
        `webgpu: program ${program.key} takes ${program.numInputs} inputs and ${program.numParams} params, got ${inputs.length} and ${params.length}`,
      );
    }
    let groups: [number, number, number];
    if (typeof threads === 'number') {
      const n = Math.ceil(threads / WORKGROUP);
      if (n === 0) return;
      groups = this.groups(n, program.key);
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
        buffers: [...ids, output.id],
        params: new Uint8Array(words.buffer),
        groups,
      },
      words.buffer,
    );
    this.counters.dispatches++;
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
