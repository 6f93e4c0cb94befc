import type {} from 'webgpu';
/**
 * The executor owns the GPUDevice and runs the command stream the backend produces.
 *
 * It runs either in the calling thread (browsers) or inside a worker thread (Node), where
 * the main thread can block on a SharedArrayBuffer (Atomics.wait) until a readback is
 * done: that is what makes `readSync` (and so `dataSync()` and per-op fallback to the CPU
 * backend) possible in Node. To be shipped into a worker as source text, `makeExecutor`
 * must be self-contained: no imports, no references to module scope (only types).
 */

/** One command of the stream (main thread -> executor), in order. */
export type Command =
  | { op: 'create'; id: number; size: number }
  | { op: 'destroy'; id: number }
  | { op: 'write'; id: number; data: Uint8Array }
  | { op: 'pipeline'; key: string; code: string; numInputs: number }
  | {
      op: 'dispatch';
      key: string;
      /** Input buffer ids, then the output buffer id. */
      buffers: number[];
      /** Uniform bytes (a multiple of 16). */
      params: Uint8Array;
      groups: [number, number, number];
    };

export interface Executor {
  /** Runs a batch of commands (dispatches are encoded and submitted at the end or before a write). */
  run(commands: readonly Command[]): void;
  /** Copies `size` bytes of buffer `id` back. */
  read(id: number, size: number): Promise<Uint8Array>;
  /** The first asynchronous error (validation, out of memory, device loss), or null. */
  error(): string | null;
  /** Number of compute dispatches and submits so far. */
  stats(): { dispatches: number; submits: number };
  destroy(): void;
}

export function makeExecutor(device: GPUDevice): Executor {
  const STORAGE = 0x0080; // GPUBufferUsage.STORAGE
  const COPY_SRC = 0x0004;
  const COPY_DST = 0x0008;
  const MAP_READ = 0x0001;
  const UNIFORM = 0x0040;
  const MAP_MODE_READ = 0x0001;
  const buffers = new Map<number, GPUBuffer>();
  const pipelines = new Map<string, { pipeline: GPUComputePipeline; layout: GPUBindGroupLayout }>();
  let firstError: string | null = null;
  let lost = false;
  let dispatches = 0;
  let submits = 0;
  type Pending = Extract<Command, { op: 'dispatch' }>;
  let uniforms: GPUBuffer | null = null;
  // Buffers are destroyed only once the GPU is known to be idle (after a readback):
  // destroying a buffer right after the submit that uses it crashes Dawn over SwiftShader.
  const retired: GPUBuffer[] = [];

  const fail = (message: string): void => {
    firstError ??= message;
  };
  void device.lost.then((info) => {
    lost = true;
    fail(`the WebGPU device was lost (${info.reason}): ${info.message}`);
  });
  device.addEventListener('uncapturederror', (ev) => {
    const e = ev.error;
    const kind =
      e.constructor?.name === 'GPUOutOfMemoryError' ? 'out of GPU memory' : 'WebGPU error';
    fail(`${kind}: ${e.message}`);
  });

  function buffer(id: number): GPUBuffer {
    const b = buffers.get(id);
    if (!b) throw new Error(`webgpu executor: unknown buffer ${id}`);
    return b;
  }

  /**
   * Runs one batch as one command encoder and one submit: data writes become copies from
   * mapped-at-creation staging buffers inside the encoder (so they are ordered with the
   * dispatches around them), and the batch's uniforms go in one buffer, written once.
   */
  function run(commands: readonly Command[]): void {
    if (lost) return;
    const ALIGN = 256;
    let total = 0;
    const offsets = new Map<Pending, number>();
    for (const c of commands) {
      if (c.op !== 'dispatch') continue;
      offsets.set(c, total);
      total += Math.ceil(c.params.byteLength / ALIGN) * ALIGN;
    }
    let encoder: GPUCommandEncoder | null = null;
    let pass: GPUComputePassEncoder | null = null;
    const enc = (): GPUCommandEncoder => (encoder ??= device.createCommandEncoder());
    if (total > 0) {
      if (!uniforms || uniforms.size < total) {
        if (uniforms) retired.push(uniforms);
        uniforms = device.createBuffer({
          size: Math.max(total, 64 * 1024),
          usage: UNIFORM | COPY_DST,
        });
      }
      const staging = device.createBuffer({ size: total, usage: COPY_SRC, mappedAtCreation: true });
      const bytes = new Uint8Array(staging.getMappedRange());
      for (const [d, off] of offsets) bytes.set(d.params, off);
      staging.unmap();
      enc().copyBufferToBuffer(staging, 0, uniforms, 0, total);
      retired.push(staging);
    }
    for (const c of commands) {
      switch (c.op) {
        case 'create':
          buffers.set(
            c.id,
            device.createBuffer({ size: c.size, usage: STORAGE | COPY_SRC | COPY_DST }),
          );
          break;
        case 'destroy':
          retired.push(buffer(c.id));
          buffers.delete(c.id);
          break;
        case 'write': {
          if (pass) {
            pass.end();
            pass = null;
          }
          const size = c.data.byteLength;
          const staging = device.createBuffer({ size, usage: COPY_SRC, mappedAtCreation: true });
          new Uint8Array(staging.getMappedRange()).set(c.data);
          staging.unmap();
          enc().copyBufferToBuffer(staging, 0, buffer(c.id), 0, size);
          retired.push(staging);
          break;
        }
        case 'pipeline': {
          if (pipelines.has(c.key)) break;
          const entries: GPUBindGroupLayoutEntry[] = [];
          for (let i = 0; i < c.numInputs; i++)
            entries.push({ binding: i, visibility: 4, buffer: { type: 'read-only-storage' } });
          entries.push({ binding: c.numInputs, visibility: 4, buffer: { type: 'storage' } });
          entries.push({ binding: c.numInputs + 1, visibility: 4, buffer: { type: 'uniform' } });
          const layout = device.createBindGroupLayout({ entries });
          const module = device.createShaderModule({ code: c.code, label: c.key });
          const pipeline = device.createComputePipeline({
            layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
            compute: { module, entryPoint: 'main' },
            label: c.key,
          });
          pipelines.set(c.key, { pipeline, layout });
          break;
        }
        case 'dispatch': {
          const p = pipelines.get(c.key);
          if (!p) throw new Error(`webgpu executor: unknown pipeline ${c.key}`);
          const entries: GPUBindGroupEntry[] = c.buffers.map((id, binding) => ({
            binding,
            resource: { buffer: buffer(id) },
          }));
          entries.push({
            binding: c.buffers.length,
            resource: { buffer: uniforms!, offset: offsets.get(c)!, size: c.params.byteLength },
          });
          const group = device.createBindGroup({ layout: p.layout, entries });
          pass ??= enc().beginComputePass();
          pass.setPipeline(p.pipeline);
          pass.setBindGroup(0, group);
          pass.dispatchWorkgroups(c.groups[0], c.groups[1], c.groups[2]);
          dispatches++;
          break;
        }
      }
    }
    if (pass) pass.end();
    if (encoder) {
      device.queue.submit([(encoder as GPUCommandEncoder).finish()]);
      submits++;
    }
  }

  async function read(id: number, size: number): Promise<Uint8Array> {
    if (lost) throw new Error(firstError ?? 'the WebGPU device was lost');
    const staging = device.createBuffer({ size: Math.max(size, 4), usage: MAP_READ | COPY_DST });
    const encoder = device.createCommandEncoder();
    if (size > 0) encoder.copyBufferToBuffer(buffer(id), 0, staging, 0, size);
    device.queue.submit([encoder.finish()]);
    submits++;
    const mp = staging.mapAsync(MAP_MODE_READ);
    await mp;
    const out = new Uint8Array(staging.getMappedRange().slice(0, size));
    staging.unmap();
    retired.push(staging);
    // Everything submitted before the copy has finished: retired buffers can go now.
    for (const b of retired.splice(0)) b.destroy();
    return out;
  }

  return {
    run,
    read,
    error: () => {
      // Validation errors are reported once; a lost device stays lost.
      const e = firstError;
      if (!lost) firstError = null;
      return e;
    },
    stats: () => ({ dispatches, submits }),
    destroy() {
      for (const b of buffers.values()) b.destroy();
      for (const b of retired.splice(0)) b.destroy();
      uniforms?.destroy();
      buffers.clear();
      device.destroy();
    },
  };
}

/**
 * Source of the Node child process that hosts the device (Dawn runs on its main thread:
 * Dawn inside worker threads corrupts memory over SwiftShader). Run with
 * `node -e SOURCE REQ_FIFO RES_FIFO`. Frames both ways: u32 header length, u32 payload
 * length, JSON header, payload bytes. Requests: run { commands } (write data and dispatch
 * params as [offset, length] into the payload), read { id, size }, stats. Responses:
 * ready { info } | error { message } (once), then data { ok, message? } + bytes, stats.
 * The process exits when the request FIFO closes (the parent went away).
 */
export function childSource(moduleUrl: string, createFlags: readonly string[]): string {
  return `
const fs = require('node:fs');
const __name = (f) => f;
const makeExecutor = ${makeExecutor.toString()};
const [reqPath, resPath] = process.argv.slice(1);
const res = fs.openSync(resPath, 'w');
const writeAll = (bytes) => {
  let off = 0;
  while (off < bytes.length) off += fs.writeSync(res, bytes, off, bytes.length - off);
};
const send = (header, payload) => {
  const h = Buffer.from(JSON.stringify(header));
  const head = Buffer.alloc(8);
  head.writeUInt32LE(h.length, 0);
  head.writeUInt32LE(payload ? payload.byteLength : 0, 4);
  writeAll(head);
  writeAll(h);
  if (payload && payload.byteLength) writeAll(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
};
const message = (e) => String((e && e.message) || e);
(async () => {
  let executor;
  try {
    const { create, globals } = await import(${JSON.stringify(moduleUrl)});
    Object.assign(globalThis, globals);
    const gpu = create(${JSON.stringify(createFlags)});
    const adapter = await gpu.requestAdapter();
    if (!adapter) throw new Error('requestAdapter() returned null: no WebGPU adapter');
    const device = await adapter.requestDevice({ requiredLimits: {
      maxStorageBuffersPerShaderStage: Math.min(8, adapter.limits.maxStorageBuffersPerShaderStage),
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    } });
    executor = makeExecutor(device);
    globalThis.__gpu = gpu;
    const info = adapter.info || {};
    var ready = { type: 'ready', info: { vendor: info.vendor || '', architecture: info.architecture || '',
      device: info.device || '', description: info.description || '',
      isFallbackAdapter: !!(adapter.isFallbackAdapter || info.isFallbackAdapter) } };
  } catch (e) {
    send({ type: 'error', message: message(e) });
    process.exit(0);
  }
  const debug = !!process.env.TAPEGRAD_WEBGPU_DEBUG;
  let lastFailure = null;
  let queue = Promise.resolve();
  const handle = async (h, payload) => {
    if (h.type === 'run') {
      const commands = h.commands.map((c) => {
        if (c.op === 'write') return { op: 'write', id: c.id, data: payload.subarray(c.data[0], c.data[0] + c.data[1]) };
        if (c.op === 'dispatch') return { ...c, params: payload.subarray(c.params[0], c.params[0] + c.params[1]) };
        return c;
      });
      if (debug) for (const c of commands) fs.writeSync(2, '[webgpu] ' + c.op + ' ' + (c.key || c.id) + String.fromCharCode(10));
      try { executor.run(commands); } catch (e) { lastFailure = lastFailure || message(e); }
    } else if (h.type === 'read') {
      const err = lastFailure || executor.error();
      lastFailure = null;
      if (err) return send({ type: 'data', ok: false, message: err });
      try {
        const bytes = await executor.read(h.id, h.size);
        const later = executor.error();
        if (later) send({ type: 'data', ok: false, message: later });
        else send({ type: 'data', ok: true }, bytes);
      } catch (e) {
        send({ type: 'data', ok: false, message: executor.error() || message(e) });
      }
    } else if (h.type === 'stats') {
      send({ type: 'stats', ...executor.stats() });
    }
  };
  let pending = Buffer.alloc(0);
  const stream = fs.createReadStream(reqPath);
  stream.on('data', (chunk) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 8) {
      const hl = pending.readUInt32LE(0);
      const pl = pending.readUInt32LE(4);
      if (pending.length < 8 + hl + pl) break;
      const header = JSON.parse(pending.toString('utf8', 8, 8 + hl));
      const payload = new Uint8Array(pending.buffer.slice(pending.byteOffset + 8 + hl, pending.byteOffset + 8 + hl + pl));
      pending = pending.subarray(8 + hl + pl);
      queue = queue.then(() => handle(header, payload));
    }
  });
  stream.on('end', () => { queue.then(() => process.exit(0)); });
  stream.on('error', () => process.exit(0));
  send(ready);
})();
`;
}
