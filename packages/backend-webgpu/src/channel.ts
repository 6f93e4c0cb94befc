import { BackendError } from '@tapegrad/core';
import type { Command, Executor } from './executor.js';
import { childSource, makeExecutor } from './executor.js';
import { nodeBuiltin } from './node-builtins.js';

/** What the backend needs of the executor, wherever it runs. */
export interface Channel {
  /** Whether `readSync` can block until the GPU is done (Node worker mode). */
  readonly canReadSync: boolean;
  readonly adapterInfo: AdapterSummary;
  /** A buffer id unique on this channel (several backends may share one device). */
  newId(): number;
  send(command: Command, transfer?: ArrayBuffer): void;
  /** Hands queued commands to the executor. */
  flush(): void;
  /** Batches handed to the executor so far. */
  readonly flushes: number;
  read(id: number, size: number): Promise<Uint8Array>;
  readSync(id: number, size: number): Uint8Array;
  stats(): Promise<{ dispatches: number; submits: number }>;
  destroy(): void;
}

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** Whether the implementation reports a fallback (software) adapter. */
  isFallbackAdapter?: boolean;
}

/** Commands queued before a flush is forced (a long synchronous loop never yields). */
const MAX_QUEUED = 512;
/** How long a blocking read waits for the GPU before giving up (SwiftShader is slow). */
const READ_TIMEOUT_MS = 300_000;

/**
 * Command batching shared by both channels: commands queue until a flush (a microtask after
 * the first one, or `MAX_QUEUED` of them), which hands the batch to `submit`.
 */
abstract class BatchingChannel {
  private queue: Command[] = [];
  private scheduled = false;
  private nextId = 1;
  flushes = 0;

  newId(): number {
    return this.nextId++;
  }

  send(command: Command): void {
    this.queue.push(command);
    if (this.queue.length >= MAX_QUEUED) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    this.check();
    const batch = this.queue;
    this.queue = [];
    this.flushes++;
    this.submit(batch);
  }

  /** Throws when the device can no longer take commands (the queue is then kept). */
  protected check(): void {}

  /** Hands one batch of commands to the executor. */
  protected abstract submit(batch: Command[]): void;
}

/** Browser (or any in-thread device): the executor runs here; reads are async only. */
export class InThreadChannel extends BatchingChannel implements Channel {
  readonly canReadSync = false;

  constructor(
    private readonly executor: Executor,
    readonly adapterInfo: AdapterSummary,
  ) {
    super();
  }

  protected submit(batch: Command[]): void {
    this.executor.run(batch);
  }

  async read(id: number, size: number): Promise<Uint8Array> {
    this.flush();
    const err = this.executor.error();
    if (err) throw new BackendError(`webgpu: ${err}`);
    const bytes = await this.executor.read(id, size);
    const later = this.executor.error();
    if (later) throw new BackendError(`webgpu: ${later}`);
    return bytes;
  }

  readSync(): Uint8Array {
    throw new BackendError(
      'webgpu: this tensor lives on the GPU and WebGPU cannot read it synchronously here ' +
        '(dataSync/arraySync, or an op without a webgpu kernel that falls back to another backend); ' +
        'use `await t.data()` / `await t.array()` instead',
    );
  }

  async stats(): Promise<{ dispatches: number; submits: number }> {
    this.flush();
    return this.executor.stats();
  }

  destroy(): void {
    this.flush();
    this.executor.destroy();
  }
}

/** One response frame of the device process: a JSON header and payload bytes. */
interface Frame {
  header: Record<string, unknown>;
  payload: Uint8Array;
}

/** The payload of a read response, or the error it reports. */
function dataOf({ header, payload }: Frame): Uint8Array {
  if (header.ok !== true) throw new BackendError(`webgpu: ${String(header.message)}`);
  return payload;
}

/** The few Node APIs the process channel uses (loaded dynamically: browsers never see them). */
interface NodeApis {
  fs: typeof import('node:fs');
  os: typeof import('node:os');
  path: typeof import('node:path');
  cp: typeof import('node:child_process');
}

/**
 * Node: the device lives in a child process (Dawn on its main thread), reached through two
 * FIFOs. Commands are written in batches; a read writes a request, and its response is read
 * from a non-blocking FIFO: `readSync` polls it sleeping with Atomics.wait in between (so
 * `dataSync()` works), `read` polls it on timers (so `await data()` leaves the event loop
 * running). Responses come in request order, so both kinds can be pending at once.
 */
export class ProcessChannel extends BatchingChannel implements Channel {
  readonly canReadSync = true;
  private dead: string | null = null;
  private inbox: Buffer = Buffer.alloc(0);
  private readonly sleeper = new Int32Array(new SharedArrayBuffer(4));
  /** Requests sent and responses received that expect a response (tickets). */
  private sent = 0;
  private received = 0;
  private readonly arrived = new Map<number, Frame>();
  private readonly waiters = new Map<
    number,
    { resolve: (f: Frame) => void; reject: (e: Error) => void }
  >();
  private polling = false;

  private constructor(
    private readonly node: NodeApis,
    private readonly req: number,
    private readonly res: number,
    private readonly child: { exitCode: number | null; signalCode: string | null; pid?: number },
    readonly adapterInfo: AdapterSummary,
  ) {
    super();
  }

  /** Starts the process and the device; rejects with the reason when there is no adapter. */
  static async create(moduleUrl: string, flags: readonly string[]): Promise<ProcessChannel> {
    const node: NodeApis = {
      fs: await nodeBuiltin('fs'),
      os: await nodeBuiltin('os'),
      path: await nodeBuiltin('path'),
      cp: await nodeBuiltin('child_process'),
    };
    const { fs, os, path, cp } = node;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tapegrad-webgpu-'));
    const reqPath = path.join(dir, 'req');
    const resPath = path.join(dir, 'res');
    try {
      cp.execFileSync('mkfifo', [reqPath, resPath]);
    } catch (e) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new BackendError(`could not create FIFOs with mkfifo (${(e as Error).message})`);
    }
    // The reading end first, non-blocking, so the child's open for writing succeeds.
    const res = fs.openSync(resPath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const child = cp.spawn(
      process.execPath,
      ['-e', childSource(moduleUrl, flags), reqPath, resPath],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    child.unref();
    const probe = new ProcessChannel(node, -1, res, child, {
      vendor: '',
      architecture: '',
      device: '',
      description: '',
    });
    let hello: Frame | null = null;
    const deadline = Date.now() + 120_000;
    try {
      while (!hello) {
        hello = probe.tryFrame();
        if (hello) break;
        if (child.exitCode !== null || child.signalCode !== null)
          throw new BackendError(
            `the WebGPU process exited (${child.exitCode ?? child.signalCode})`,
          );
        if (Date.now() > deadline)
          throw new BackendError('the WebGPU process did not start in 120 s');
        await new Promise((r) => setTimeout(r, 5));
      }
      if (hello.header.type !== 'ready') throw new BackendError(String(hello.header.message));
    } catch (e) {
      fs.closeSync(res);
      fs.rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    // The child has its request FIFO open for reading by now (it opens it before 'ready').
    const req = fs.openSync(reqPath, 'w');
    fs.rmSync(dir, { recursive: true, force: true });
    return new ProcessChannel(node, req, res, child, hello.header.info as AdapterSummary);
  }

  protected submit(batch: Command[]): void {
    const chunks: Uint8Array[] = [];
    let offset = 0;
    const commands = batch.map((c) => {
      if (c.op === 'write') {
        chunks.push(c.data);
        const ref = { op: 'write', id: c.id, data: [offset, c.data.byteLength] };
        offset += c.data.byteLength;
        return ref;
      }
      if (c.op === 'dispatch') {
        chunks.push(c.params);
        const ref = { ...c, params: [offset, c.params.byteLength] };
        offset += c.params.byteLength;
        return ref;
      }
      return c;
    });
    this.writeFrame({ type: 'run', commands }, chunks, offset);
  }

  protected override check(): void {
    if (this.dead) throw new BackendError(`webgpu: ${this.dead}`);
  }

  private writeFrame(header: unknown, chunks: readonly Uint8Array[] = [], payloadBytes = 0): void {
    const { fs } = this.node;
    const h = Buffer.from(JSON.stringify(header));
    const head = Buffer.alloc(8);
    head.writeUInt32LE(h.length, 0);
    head.writeUInt32LE(payloadBytes, 4);
    const write = (b: Uint8Array): void => {
      let off = 0;
      while (off < b.byteLength) off += fs.writeSync(this.req, b, off, b.byteLength - off);
    };
    try {
      write(head);
      write(h);
      for (const c of chunks) write(c);
    } catch (e) {
      this.dead = `the WebGPU process is gone (${(e as Error).message})`;
      throw new BackendError(`webgpu: ${this.dead}`);
    }
  }

  /** One complete response frame if one is available (non-blocking). */
  private tryFrame(): Frame | null {
    const { fs } = this.node;
    for (;;) {
      const frame = this.parseInbox();
      if (frame) return frame;
      const chunk = Buffer.allocUnsafe(1 << 20);
      let n: number;
      try {
        n = fs.readSync(this.res, chunk, 0, chunk.length, null);
      } catch (e) {
        if ((e as { code?: string }).code === 'EAGAIN') return null;
        throw e;
      }
      if (n === 0) {
        // No writer left, or none yet: the child is gone if it has exited.
        if (this.child.exitCode !== null || this.child.signalCode !== null || this.req >= 0) {
          this.dead ??= 'the WebGPU process exited';
        }
        return null;
      }
      this.inbox = this.inbox.length
        ? Buffer.concat([this.inbox, chunk.subarray(0, n)])
        : Buffer.from(chunk.subarray(0, n));
    }
  }

  private parseInbox(): Frame | null {
    const b = this.inbox;
    if (b.length < 8) return null;
    const hl = b.readUInt32LE(0);
    const pl = b.readUInt32LE(4);
    if (b.length < 8 + hl + pl) return null;
    const header = JSON.parse(b.toString('utf8', 8, 8 + hl)) as Record<string, unknown>;
    const payload = new Uint8Array(b.subarray(8 + hl, 8 + hl + pl));
    this.inbox = b.subarray(8 + hl + pl);
    return { header, payload };
  }

  /**
   * Sends a request that gets a response; responses come back in request order, so each
   * request takes the next ticket and its response is the frame with that number.
   */
  private request(header: unknown): number {
    this.flush();
    this.check();
    this.writeFrame(header);
    return this.sent++;
  }

  /** Reads every available frame, handing each to its ticket (a waiting promise, or kept). */
  private drain(): void {
    for (let f = this.tryFrame(); f; f = this.tryFrame()) {
      const ticket = this.received++;
      const waiter = this.waiters.get(ticket);
      if (waiter) {
        this.waiters.delete(ticket);
        waiter.resolve(f);
      } else this.arrived.set(ticket, f);
    }
  }

  /** Waits (blocking the thread) for the response to `ticket`. */
  private frameSync(ticket: number): Frame {
    const start = Date.now();
    let sleep = 0.01;
    for (;;) {
      this.drain();
      const f = this.arrived.get(ticket);
      if (f) {
        this.arrived.delete(ticket);
        return f;
      }
      this.check();
      if (Date.now() - start > READ_TIMEOUT_MS) {
        this.dead = `a GPU readback timed out after ${READ_TIMEOUT_MS} ms`;
        this.check();
      }
      Atomics.wait(this.sleeper, 0, 0, sleep);
      sleep = Math.min(sleep * 2, 1);
    }
  }

  /** Waits for the response to `ticket` without blocking the event loop (polls on timers). */
  private frame(ticket: number): Promise<Frame> {
    const known = this.arrived.get(ticket);
    if (known) {
      this.arrived.delete(ticket);
      return Promise.resolve(known);
    }
    return new Promise<Frame>((resolve, reject) => {
      this.waiters.set(ticket, { resolve, reject });
      if (!this.polling) this.poll(Date.now(), 0);
    });
  }

  /** Polls the response FIFO while promises wait: immediately at first, then every ≤ 4 ms. */
  private poll(start: number, round: number): void {
    this.polling = true;
    try {
      this.drain();
      if (!this.dead && Date.now() - start > READ_TIMEOUT_MS)
        this.dead = `a GPU readback timed out after ${READ_TIMEOUT_MS} ms`;
      this.check();
    } catch (e) {
      for (const w of this.waiters.values()) w.reject(e as Error);
      this.waiters.clear();
    }
    if (this.waiters.size === 0) {
      this.polling = false;
      return;
    }
    const next = (): void => this.poll(start, round + 1);
    if (round < 8) setImmediate(next);
    else setTimeout(next, Math.min(4, round - 7));
  }

  readSync(id: number, size: number): Uint8Array {
    return dataOf(this.frameSync(this.request({ type: 'read', id, size })));
  }

  /** An asynchronous read: the event loop keeps running while the GPU works. */
  async read(id: number, size: number): Promise<Uint8Array> {
    return dataOf(await this.frame(this.request({ type: 'read', id, size })));
  }

  async stats(): Promise<{ dispatches: number; submits: number }> {
    const { header } = await this.frame(this.request({ type: 'stats' }));
    return { dispatches: Number(header.dispatches), submits: Number(header.submits) };
  }

  destroy(): void {
    if (this.dead) return;
    this.flush();
    this.dead = 'the webgpu backend was disposed';
    this.node.fs.closeSync(this.req);
    this.node.fs.closeSync(this.res);
  }
}

/** In-thread executor over an existing device (browsers, or a device the caller made). */
export function inThread(device: GPUDevice, info: AdapterSummary): InThreadChannel {
  return new InThreadChannel(makeExecutor(device), info);
}
